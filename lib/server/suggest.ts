/**
 * Ranks the objectives a ticket probably serves: by the words its title and project share with
 * each objective, and by where the same project's other tickets are linked.
 * Hand-written because it is a dozen lines of tokenising and counting; a search library would
 * bring an index we do not need for a few hundred objectives.
 */

const STOP_WORDS = new Set(
  'the and for with from into that this when what which while are was were has have had not but all any can our out its via per use using add fix make new update support'.split(
    ' ',
  ),
);

/**
 * Plural and simple verb endings fold onto one stem so "payments" meets "payment": -ies and -ied
 * become y ("stories" meets "story"), a final s goes unless doubled ("processes" meets "process"),
 * then -ing or -ed, then a final e ("invoices", "invoicing" and "invoice" meet as "invoic").
 */
function stem(word: string): string {
  return (
    word
      .replace(/i(?:es|ed)$/u, 'y')
      .replace(/(?<!s)s$/u, '')
      .replace(/(?:ing|ed)$/u, '')
      .replace(/e$/u, '') || word
  );
}

/** Each stem of the text with the word it was first written as (lower-cased). */
function stemmedWords(text: string): Map<string, string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const result = new Map<string, string>();
  for (const word of words) {
    if (word.length < 3 || STOP_WORDS.has(word)) continue;
    const key = stem(word);
    if (!result.has(key)) result.set(key, word);
  }
  return result;
}

export function tokens(text: string): Set<string> {
  return new Set(stemmedWords(text).keys());
}

export interface SuggestionCandidate {
  id: string;
  title: string;
  description: string;
  keyResultTitles: string[];
  priorityWeight: number;
  /** The tokens of title, description and key results, when the caller keeps them; else computed here. */
  words?: Set<string>;
}

export function candidateWords(candidate: Omit<SuggestionCandidate, 'words'>): Set<string> {
  return tokens(`${candidate.title} ${candidate.description} ${candidate.keyResultTitles.join(' ')}`);
}

export interface SuggestionInput {
  title: string;
  project: string | null;
  candidates: SuggestionCandidate[];
  /** For each objective, how many other live-linked tickets of the same project serve it. */
  projectLinkCounts: Map<string, number>;
  limit?: number;
}

export interface RankedSuggestion {
  id: string;
  score: number;
  reasons: string[];
}

const TEXT_WEIGHT = 0.6;
const PROJECT_WEIGHT = 0.4;

export function rankSuggestions(input: SuggestionInput): RankedSuggestion[] {
  const limit = input.limit ?? 3;
  const ticketWords = stemmedWords(`${input.title} ${input.project ?? ''}`);
  const projectTotal = [...input.projectLinkCounts.values()].reduce((a, b) => a + b, 0);

  const ranked = input.candidates.map((candidate) => {
    const objectiveWords = candidate.words ?? candidateWords(candidate);
    // Matched on stems, shown as the ticket writes them.
    const shared = [...ticketWords].filter(([key]) => objectiveWords.has(key)).map(([, word]) => word);
    const textScore = ticketWords.size > 0 ? shared.length / ticketWords.size : 0;
    const projectCount = input.projectLinkCounts.get(candidate.id) ?? 0;
    const projectScore = projectTotal > 0 ? projectCount / projectTotal : 0;
    const reasons: string[] = [];
    if (shared.length > 0) reasons.push(`shares the words ${shared.slice(0, 4).join(', ')}`);
    if (projectCount > 0) {
      reasons.push(`${projectCount} of ${projectTotal} linked tickets of ${input.project} serve it`);
    }
    return {
      id: candidate.id,
      score: TEXT_WEIGHT * textScore + PROJECT_WEIGHT * projectScore,
      reasons,
      priorityWeight: candidate.priorityWeight,
    };
  });

  ranked.sort((a, b) => b.score - a.score || b.priorityWeight - a.priorityWeight);
  return ranked.slice(0, limit).map(({ id, score, reasons }) => ({
    id,
    score: Math.round(score * 1000) / 1000,
    reasons: reasons.length > 0 ? reasons : ['a top priority this period'],
  }));
}

/** Objectives in reading order: each parent followed by its children, at any depth. */
export function objectiveTree<T extends { id: string; parentId: string | null; priorityWeight: number; title: string }>(
  objectives: T[],
): { objective: T; depth: number }[] {
  const ids = new Set(objectives.map((o) => o.id));
  const children = new Map<string | null, T[]>();
  for (const objective of objectives) {
    // A parent outside the list (another period, or filtered out) makes this a root here.
    const parent = objective.parentId && ids.has(objective.parentId) ? objective.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), objective]);
  }
  const byPriority = (a: T, b: T) => b.priorityWeight - a.priorityWeight || a.title.localeCompare(b.title);
  const ordered: { objective: T; depth: number }[] = [];
  const seen = new Set<string>();
  const visit = (parent: string | null, depth: number) => {
    for (const objective of [...(children.get(parent) ?? [])].sort(byPriority)) {
      if (seen.has(objective.id)) continue;
      seen.add(objective.id);
      ordered.push({ objective, depth });
      visit(objective.id, depth + 1);
    }
  };
  visit(null, 0);
  // A cycle has no root: list what it left out rather than lose it.
  for (const objective of objectives) if (!seen.has(objective.id)) ordered.push({ objective, depth: 0 });
  return ordered;
}

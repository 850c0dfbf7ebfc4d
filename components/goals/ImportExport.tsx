/**
 * Objectives in and out as YAML or CSV, the same files as the CLI's. An import is checked first
 * (the API's dry run) and previewed with every row's errors; nothing is written until the person
 * confirms a file that has none, and then all rows or none are.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import type { ImportProgress, ImportResult } from '../../lib/shared/contract';
import { download } from '../pages/download';
import { apiKeys, callApi, importWithProgress, ProblemError, useSend } from '../shared/background';
import { ProblemView } from '../shared/ProblemView';

type Format = 'yaml' | 'csv';
/** Characters from which a paste skips the browser's editing (a few hundred lines of a file). */
const LONG_PASTE = 10_000;
const formatOf = (fileName: string): Format => (/\.csv$/i.test(fileName) ? 'csv' : 'yaml');

/** Reads a file, reporting how much of it has been read: large files take a moment. */
function readFile(file: File, onProgress: (share: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    reader.onload = () => {
      onProgress(1);
      resolve(String(reader.result));
    };
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}`));
    reader.readAsText(file);
  });
}

/** "row 3.keyResults.0.target" → row 3, field "keyResults.0.target". */
function rowErrors(error: unknown) {
  if (!(error instanceof ProblemError)) return null;
  const rows = (error.problem.issues ?? []).flatMap((issue) => {
    const match = /^row (\d+)\.(.*)$/.exec(issue.path);
    return match ? [{ row: Number(match[1]), field: match[2] as string, message: issue.message }] : [];
  });
  return rows.length > 0 ? rows : null;
}

export function ImportExport({ periodName }: { periodName?: string }) {
  const send = useSend();
  const id = useId();
  const [content, setContent] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [format, setFormat] = useState<Format>('yaml');
  const [readShare, setReadShare] = useState<number | null>(null);
  const [preview, setPreview] = useState<ImportResult | null>(null);

  const [readError, setReadError] = useState<Error | null>(null);
  /** Bumped by every change of the file: a read or a check of an older one is dropped. */
  const version = useRef(0);

  const check = useMutation({
    mutationFn: () => callApi(send, 'importObjectives', { format, content, dryRun: true }),
  });
  const runCheck = () => {
    const checked = version.current;
    check.mutate(undefined, { onSuccess: (result) => checked === version.current && setPreview(result) });
  };
  const queryClient = useQueryClient();
  const [written, setWritten] = useState<ImportProgress | null>(null);
  const write = useMutation({
    mutationFn: () => {
      setWritten(null);
      return importWithProgress({ format, content, dryRun: false }, setWritten);
    },
    onSuccess: () => {
      setPreview(null);
      void queryClient.invalidateQueries({ queryKey: apiKeys.of('objectives') });
    },
  });
  const exportAs = useMutation({
    mutationFn: async (as: Format) => {
      const text = await callApi(send, 'exportObjectives', { format: as, period: periodName });
      download(`objectives${periodName ? `-${periodName}` : ''}.${as}`, text, as === 'csv' ? 'text/csv' : 'text/yaml');
    },
  });

  const changed = () => {
    version.current++;
    setPreview(null);
    setWritten(null);
    setReadError(null);
    check.reset();
    write.reset();
  };
  /** Content typed or pasted into the box: it is no longer the chosen file's. */
  const typed = (text: string) => {
    changed();
    setFileName(null);
    setContent(text);
  };
  const errors = rowErrors(check.error);

  return (
    <section aria-label="Import and export">
      <h2>Import and export</h2>
      <p className="muted">
        The same YAML and CSV files as the <code>throughline objectives</code> commands. Re-importing an exported file
        updates the objectives in it.
      </p>
      <div className="actions">
        <button type="button" onClick={() => exportAs.mutate('yaml')} disabled={exportAs.isPending}>
          Export {periodName ?? 'all'} as YAML
        </button>
        <button type="button" onClick={() => exportAs.mutate('csv')} disabled={exportAs.isPending}>
          Export {periodName ?? 'all'} as CSV
        </button>
      </div>
      <ProblemView problem={exportAs.error} />

      <h3>Import</h3>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-file`}>File</label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".yaml,.yml,.csv,text/yaml,text/csv"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              changed();
              const reading = version.current;
              setFileName(file.name);
              setFormat(formatOf(file.name));
              setReadShare(0);
              try {
                const text = await readFile(file, (share) => reading === version.current && setReadShare(share));
                if (reading === version.current) setContent(text);
              } catch (error) {
                if (reading === version.current) setReadError(error as Error);
              } finally {
                if (reading === version.current) setReadShare(null);
              }
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-format`}>Format</label>
          <select
            id={`${id}-format`}
            value={format}
            onChange={(e) => {
              changed();
              setFormat(e.target.value as Format);
            }}
          >
            <option value="yaml">YAML</option>
            <option value="csv">CSV</option>
          </select>
        </div>
        <div className="field wide">
          <label htmlFor={`${id}-content`}>Or paste the file’s content</label>
          <textarea
            id={`${id}-content`}
            rows={6}
            spellCheck={false}
            value={content}
            onChange={(e) => typed(e.target.value)}
            onPaste={(e) => {
              // Chromium's editing takes seconds to paste thousands of lines into a text area (7 s for
              // 1,500 objectives, measured): a long text goes in as the field's value instead.
              const pasted = e.clipboardData.getData('text/plain');
              if (pasted.length < LONG_PASTE) return;
              e.preventDefault();
              const box = e.currentTarget;
              typed(box.value.slice(0, box.selectionStart) + pasted + box.value.slice(box.selectionEnd));
            }}
            style={{ fontFamily: 'ui-monospace, monospace', fontSize: 12 }}
          />
        </div>
      </div>
      <ProblemView problem={readError} />
      {readShare !== null && (
        <div className="field">
          <span>Reading {fileName}</span>
          <progress value={readShare} max={1} aria-label={`Reading ${fileName}`} />
        </div>
      )}
      <div className="actions">
        <button type="button" onClick={runCheck} disabled={!content.trim() || check.isPending}>
          Check file
        </button>
      </div>
      {check.isPending && <progress aria-label="Checking every row" />}

      {errors && (
        <div className="notice notice-bad" role="alert">
          <p style={{ margin: 0 }}>{(check.error as ProblemError).problem.message}</p>
          <table className="row-errors" aria-label="Errors by row">
            <thead>
              <tr>
                <th>Row</th>
                <th>Field</th>
                <th>Problem</th>
              </tr>
            </thead>
            <tbody>
              {errors.map((e) => (
                <tr key={`${e.row}:${e.field}:${e.message}`}>
                  <td>Row {e.row}</td>
                  <td>{e.field}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!errors && <ProblemView problem={check.error} />}

      {preview && (
        <div className="notice notice-good" role="status">
          <p style={{ marginTop: 0 }}>
            {fileName ?? 'The pasted file'} is valid: {preview.objectives} objective
            {preview.objectives === 1 ? '' : 's'} and {preview.keyResults} key result
            {preview.keyResults === 1 ? '' : 's'} — {preview.created} new, {preview.updated} updated. Nothing is written
            until you import.
          </p>
          <button type="button" className="primary" onClick={() => write.mutate()} disabled={write.isPending}>
            Import {preview.objectives} objective{preview.objectives === 1 ? '' : 's'}
          </button>
        </div>
      )}
      {write.isPending && (
        <div className="field">
          <span role="status">
            {written
              ? `Checking and writing objective ${Math.min(written.done + 1, written.total)} of ${written.total}…`
              : 'Starting the import…'}
          </span>
          <progress aria-label="Importing" value={written?.done ?? 0} max={written?.total || 1} />
        </div>
      )}
      <ProblemView problem={write.error} />
      {write.data && (
        <p className="notice notice-good" role="status">
          Imported: {write.data.created} created, {write.data.updated} updated.
        </p>
      )}
    </section>
  );
}

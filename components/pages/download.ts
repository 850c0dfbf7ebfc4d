/** Saves text as a file the person downloads: exports of objectives and reviews. */
export function download(filename: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  // Not at once: Firefox may not have started the download yet.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

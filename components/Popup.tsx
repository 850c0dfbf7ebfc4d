export function Popup() {
  return (
    <main style={{ width: 280, padding: 12, font: '14px system-ui, sans-serif' }}>
      <h1 style={{ fontSize: 16, margin: '0 0 8px' }}>Throughline</h1>
      <p style={{ margin: 0 }}>Your goal coverage will show here once the extension is connected to your goals API.</p>
    </main>
  );
}

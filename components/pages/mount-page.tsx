import { QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pageQueryClient } from '../shared/background';
import './pages.css';

/** Renders one of the extension's pages (popup, goals, review) with its query cache. */
export function mountPage(page: ReactNode) {
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <QueryClientProvider client={pageQueryClient()}>{page}</QueryClientProvider>
    </StrictMode>,
  );
}

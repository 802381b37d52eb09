import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dates/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { useAppStore } from './app/store';
import { installHttpBridge } from './bridge/http';

// In Electron the preload has set window.api; in the browser shell the same API goes over HTTP.
if (!('api' in window)) installHttpBridge();
// The reference data (and the start page's list) are asked for before React's first render, not after it.
void useAppStore.getState().load();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

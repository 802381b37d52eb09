import type { Api } from '../contract';

declare global {
  interface Window {
    /** Set by the preload script in Electron, or by the HTTP bridge in the browser shell. */
    api: Api;
  }
}

export {};

import { contextBridge, ipcRenderer } from 'electron';
import { exposeApi } from './expose';

// Sandboxed preload, built to CommonJS (out/preload/index.cjs): `electron` is the only module it may require.
exposeApi(contextBridge, ipcRenderer);

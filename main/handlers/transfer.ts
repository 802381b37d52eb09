import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../contract';
import { exportDossier, restoreDossier } from '../transfer/dossier';
import { exportClients } from '../transfer/exportClients';
import { analyzeImport, checkImportOptions, columnValues, previewImport, runImport } from '../transfer/imports';
import type { FileDialogFilter, HandlerContext } from './context';
import type { HandlerMap } from './types';

function desktopOnly(ctx: HandlerContext) {
  if (!ctx.desktop) throw new AppError('VALIDATION', 'Only the desktop app can use the system’s file dialogs.', { fields: [{ path: 'shell', message: 'desktop_only' }] });
  return ctx.desktop;
}

const dialogFilters: Record<'table' | 'backup', FileDialogFilter[]> = {
  table: [{ name: 'Spreadsheets (CSV, Excel)', extensions: ['csv', 'tsv', 'txt', 'xlsx'] }],
  backup: [{ name: 'Clients backup (zip)', extensions: ['zip'] }],
};

// Paths the user chose in this session's save dialog: the only ones "show in folder" will reveal.
const savedPaths = new Set<string>();

export const transferHandlers: HandlerMap<
  | 'files.beginUpload' | 'files.appendUpload' | 'files.pick' | 'files.read' | 'files.saveAs' | 'files.showSaved' | 'files.discard'
  | 'exports.clients' | 'exports.dossier' | 'imports.analyze' | 'imports.values' | 'imports.preview' | 'imports.start' | 'imports.restore'
  | 'tasks.get' | 'tasks.cancel'
> = {
  'files.beginUpload': async (ctx, input) => ctx.staging.beginUpload(input.fileName, input.sizeBytes),
  'files.appendUpload': async (ctx, input) => ctx.staging.append(input.fileId, input.offset, Buffer.from(input.chunkBase64, 'base64')),
  'files.pick': async (ctx, input) => {
    const chosen = await desktopOnly(ctx).chooseOpenPath({ filters: dialogFilters[input.filter] });
    return { file: chosen ? ctx.staging.adopt(chosen) : null };
  },
  'files.read': async (ctx, input) => {
    const { bytes, nextOffset } = ctx.staging.read(input.fileId, input.offset, input.length);
    return { chunkBase64: bytes.toString('base64'), nextOffset };
  },
  'files.saveAs': async (ctx, input) => {
    const desktop = desktopOnly(ctx);
    const file = ctx.staging.get(input.fileId);
    const extension = path.extname(file.fileName).slice(1);
    const target = await desktop.chooseSavePath({ defaultName: file.fileName, filters: [{ name: extension.toUpperCase(), extensions: [extension] }] });
    if (!target) return { savedPath: null };
    // Copied next to the target and renamed: an existing file the user chose to replace is never half overwritten.
    const temporary = `${target}.partial`;
    fs.copyFileSync(file.path, temporary);
    fs.renameSync(temporary, target);
    savedPaths.add(target);
    return { savedPath: target };
  },
  'files.showSaved': async (ctx, input) => {
    const desktop = desktopOnly(ctx);
    if (!savedPaths.has(input.savedPath) || !fs.existsSync(input.savedPath)) return { shown: false };
    desktop.showInFolder(input.savedPath);
    return { shown: true };
  },
  'files.discard': async (ctx, input) => {
    ctx.staging.discard(input.fileId);
    return { fileId: input.fileId };
  },

  'exports.clients': async (ctx, input) => ({ taskId: ctx.tasks.start('export', (control) => exportClients(ctx, input, control)).id }),
  'exports.dossier': async (ctx, input) => ({ taskId: ctx.tasks.start('dossier', (control) => exportDossier(ctx, input, control)).id }),

  'imports.analyze': (ctx, input) => analyzeImport(ctx, input.fileId, input.target),
  'imports.values': (ctx, input) => columnValues(ctx, input),
  'imports.preview': (ctx, input) => previewImport(ctx, input, input.limit),
  'imports.start': async (ctx, input) => {
    ctx.staging.get(input.fileId);
    checkImportOptions(input);
    return { taskId: ctx.tasks.start('import', (control) => runImport(ctx, input, control)).id };
  },
  'imports.restore': async (ctx, input) => {
    ctx.staging.get(input.fileId);
    return { taskId: ctx.tasks.start('restore', (control) => restoreDossier(ctx, input.fileId, control)).id };
  },

  'tasks.get': async (ctx, input) => ctx.tasks.get(input.taskId),
  'tasks.cancel': async (ctx, input) => ctx.tasks.cancel(input.taskId),
};

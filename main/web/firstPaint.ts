import { pathToFileURL } from 'node:url';
import type { Dispatch } from '../dispatch';
import type { FirstPaintData } from '../../contract';

export type RenderFirstPaint = (data: FirstPaintData) => string;

/** The server build of renderer/firstPaint.tsx (main/web/build.ts writes it next to the renderer's files). */
export async function loadFirstPaint(modulePath: string): Promise<RenderFirstPaint> {
  const module = (await import(pathToFileURL(modulePath).href)) as { renderFirstPaint: RenderFirstPaint };
  return module.renderFirstPaint;
}

// Over the app's page until the app's own page replaces it (AppLayout removes it in that commit). Inert and
// hidden from assistive technology: it is a picture of the page, and the page itself is announced when it comes.
const overlayStyle =
  '<style>#first-paint{position:fixed;inset:0;z-index:1000;overflow:hidden;background:var(--mantine-color-body)}.no-first-paint #first-paint{display:none}</style>';

/**
 * index.html with the clients page already drawn in it, from the same channels and inputs the app asks for at
 * start (its first rows: the saved search and filters, the first page); unchanged when any of them fails, as the
 * app then shows why itself.
 */
export async function withFirstPaint(indexHtml: string, dispatch: Dispatch, render: RenderFirstPaint): Promise<string> {
  const data = async <T>(channel: string, input: unknown) => {
    const result = await dispatch(channel, input);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code}`);
    return result.data as T;
  };
  let html: string;
  let language: string;
  try {
    const [info, settings, areas, users] = await Promise.all([
      data<FirstPaintData['info']>('app.info', {}),
      data<FirstPaintData['settings']>('settings.get', {}),
      data<FirstPaintData['areas']>('areas.list', {}),
      data<FirstPaintData['users']>('users.list', { includeInactive: true }),
    ]);
    if (info.startup) return indexHtml;
    const query = settings.clientsListQuery;
    const list = await data<FirstPaintData['list']>('clients.list', { ...(query ?? {}), limit: 100, cursor: null });
    html = render({ info, settings, areas, users, list });
    language = settings.language;
  } catch {
    return indexHtml;
  }
  return indexHtml
    .replace('<html lang="en">', `<html lang="${language}">`)
    .replace('<div id="root"></div>', `${overlayStyle}<div id="first-paint" inert aria-hidden="true">${html}</div><div id="root"></div>`);
}

import { pathToFileURL } from 'node:url';
import type { Dispatch } from './dispatch';
import type { FirstPaintData } from '../contract';

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
 * The clients page drawn, from the same channels and inputs the app asks for at start (its first rows: the saved
 * search and filters, the first page), as the markup to put before the app's root; empty when any of them
 * fails, as the app then shows why itself.
 */
export async function firstPaintMarkup(dispatch: Dispatch, render: RenderFirstPaint): Promise<string> {
  const data = async <T>(channel: string, input: unknown) => {
    const result = await dispatch(channel, input);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code}`);
    return result.data as T;
  };
  try {
    const [info, settings, areas, users] = await Promise.all([
      data<FirstPaintData['info']>('app.info', {}),
      data<FirstPaintData['settings']>('settings.get', {}),
      data<FirstPaintData['areas']>('areas.list', {}),
      data<FirstPaintData['users']>('users.list', { includeInactive: true }),
    ]);
    if (info.startup) return '';
    const list = await data<FirstPaintData['list']>('clients.list', { ...(settings.clientsListQuery ?? {}), limit: 100, cursor: null });
    return `${overlayStyle}<div id="first-paint" inert aria-hidden="true">${render({ info, settings, areas, users, list })}</div>`;
  } catch {
    return '';
  }
}

/**
 * index.html cut where the first paint goes (before the app's root): the part before can be sent at once, so
 * the browser fetches the stylesheet and the bundle while the page is drawn.
 */
export function splitForFirstPaint(indexHtml: string): [string, string] {
  const at = indexHtml.indexOf('<div id="root"></div>');
  return at < 0 ? [indexHtml, ''] : [indexHtml.slice(0, at), indexHtml.slice(at)];
}

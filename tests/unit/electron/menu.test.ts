import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate } from '../../../main/electron/menu';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

const roles = (isMac: boolean, isPackaged: boolean) =>
  flatten(buildMenuTemplate({ appName: 'Clients', isMac, isPackaged, openDataFolder: () => {}, openLogsFolder: () => {} })).map((item) => item.role);

describe('application menu', () => {
  it.each([true, false])('offers reload and developer tools only when not packaged (macOS: %s)', (isMac) => {
    for (const role of ['reload', 'forceReload', 'toggleDevTools'] as const) {
      expect(roles(isMac, true)).not.toContain(role);
      expect(roles(isMac, false)).toContain(role);
    }
  });

  it.each([true, false])('always has Quit, the edit roles, zoom and full screen (macOS: %s)', (isMac) => {
    const present = roles(isMac, true);
    for (const role of ['quit', 'undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen', 'minimize'] as const) {
      expect(present).toContain(role);
    }
  });

  it('leaves Ctrl/Cmd+N and Ctrl/Cmd+K to the renderer', () => {
    const accelerators = flatten(buildMenuTemplate({ appName: 'Clients', isMac: false, isPackaged: false, openDataFolder: () => {}, openLogsFolder: () => {} }))
      .map((item) => item.accelerator)
      .filter(Boolean);
    expect(accelerators.filter((a) => /\+(N|K)$/i.test(String(a)))).toEqual([]);
  });
});

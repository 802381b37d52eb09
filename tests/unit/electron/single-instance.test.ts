import type { App, BrowserWindow } from 'electron';
import { describe, expect, it } from 'vitest';
import { claimSingleInstance, focusWindow, type FocusableWindow, type SingleInstanceApp } from '../../../main/electron/singleInstance';

// Electron's own types must fit what the start-up code asks of them: tsc checks these two lines.
const _app: SingleInstanceApp = {} as App;
const _window: FocusableWindow = {} as BrowserWindow;

class FakeApp implements SingleInstanceApp {
  quits = 0;
  readonly listeners: (() => void)[] = [];
  constructor(private readonly lockFree: boolean) {}
  requestSingleInstanceLock(): boolean {
    return this.lockFree;
  }
  quit(): void {
    this.quits++;
  }
  on(event: 'second-instance', listener: () => void): this {
    if (event === 'second-instance') this.listeners.push(listener);
    return this;
  }
  /** What Electron does in the first instance when the user starts Clients again. */
  startAgain() {
    for (const listener of this.listeners) listener();
  }
}

class FakeWindow implements FocusableWindow {
  calls: string[] = [];
  constructor(private minimized = false, private destroyed = false) {}
  isDestroyed = () => this.destroyed;
  isMinimized = () => this.minimized;
  restore = () => {
    this.calls.push('restore');
    this.minimized = false;
  };
  show = () => void this.calls.push('show');
  focus = () => void this.calls.push('focus');
}

describe('one desktop app at a time', () => {
  it('the second instance quits before doing anything else', () => {
    const app = new FakeApp(false);
    let broughtForward = 0;
    expect(claimSingleInstance(app, () => broughtForward++)).toBe(false);
    expect(app.quits).toBe(1);
    expect(app.listeners).toHaveLength(0);
    expect(broughtForward).toBe(0);
  });

  it('the first instance comes forward each time Clients is started again', () => {
    const app = new FakeApp(true);
    let broughtForward = 0;
    expect(claimSingleInstance(app, () => broughtForward++)).toBe(true);
    expect(app.quits).toBe(0);
    app.startAgain();
    app.startAgain();
    expect(broughtForward).toBe(2);
  });

  it('brings the window forward: restored when minimised, shown and focused; no window, no focus', () => {
    const minimised = new FakeWindow(true);
    expect(focusWindow(minimised)).toBe(true);
    expect(minimised.calls).toEqual(['restore', 'show', 'focus']);
    const visible = new FakeWindow(false);
    expect(focusWindow(visible)).toBe(true);
    expect(visible.calls).toEqual(['show', 'focus']);
    expect(focusWindow(new FakeWindow(false, true))).toBe(false);
    expect(focusWindow(null)).toBe(false);
  });
});

import { useState } from 'react';
import type { z } from 'zod';
import { useAppStore, useAreaLabel } from '../app/store';
import { useFormat, useT } from '../i18n';
import { apiErrorOf } from './api';
import { conflictRows, labelOf, mergeValues, namesIn, theirChanges, type ConflictFields, type ConflictRow, type ShowContext } from './editConflict';

interface Versioned {
  id: string;
  version: number;
}

interface FormState<R, V> {
  /** The record the form was opened with, or took over by Reload / Keep mine: its version is the one a save names. */
  base: R | null;
  /** The form's values for `base`: what "unsaved edits" are measured against. */
  start: V;
  values: V;
  /** The record as someone saved it meanwhile, while the conflict notice is shown. */
  current: R | null;
  /** Labels of the fields the last Reload took from the saved record. */
  reloaded: string[] | null;
}

export interface EditConflict<R, V> {
  values: V;
  setValues: (update: V | ((values: V) => V)) => void;
  start: V;
  base: R | null;
  /** The notice to show inside the modal (null when there is none). */
  conflict: { rows: ConflictRow[]; savedAt: string | null; version: number } | null;
  reloaded: string[] | null;
  /** True when `error` was a CONFLICT this form can show (its `current` checked by the channel's schema). */
  catchConflict(error: unknown): boolean;
  /** Takes the saved record: its values where someone changed a field, the user's other edits kept; nothing saved. */
  reload(): void;
  /** The user's values over theirs where both changed a field, theirs elsewhere; the caller saves what it returns. */
  keepMine(): { values: V; base: R } | null;
}

/**
 * The state of an editor that saves with a version: its values, the record they started from and, after a
 * save answered CONFLICT, what someone changed meanwhile. Everything resets each time the modal opens (never
 * while it is open, so a list refreshed behind it cannot wipe what the user typed).
 */
export function useEditConflict<R extends Versioned, V extends object>(options: {
  opened: boolean;
  record: R | null;
  toForm: (record: R | null) => V;
  fields: ConflictFields<V>;
  schema: z.ZodType<R>;
  /** Resets the rest of the modal (touched fields, errors, files) when it opens. */
  onOpen?: () => void;
}): EditConflict<R, V> {
  const { opened, record, toForm, fields, schema } = options;
  const t = useT();
  const format = useFormat();
  const areas = useAppStore((s) => s.areas);
  const users = useAppStore((s) => s.users);
  const areaLabel = useAreaLabel();

  const fresh = (from: R | null): FormState<R, V> => {
    const values = toForm(from);
    return { base: from, start: values, values, current: null, reloaded: null };
  };
  const [state, setState] = useState<FormState<R, V>>(() => fresh(record));
  const [wasOpened, setWasOpened] = useState(opened);
  if (opened !== wasOpened) {
    // Adjusting state while rendering, as React recommends for "reset when a prop changes": no extra pass
    // with stale values, and nothing runs when the prop stays (a parent re-render, a refreshed list).
    setWasOpened(opened);
    if (opened) {
      setState(fresh(record));
      options.onOpen?.();
    }
  }

  let conflict: EditConflict<R, V>['conflict'] = null;
  if (state.current) {
    const names = new Map([...namesIn(state.base), ...namesIn(state.current)]);
    const ctx: ShowContext = {
      t,
      format,
      areaName: (id) => {
        const area = areas.find((a) => a.id === id);
        return area ? areaLabel(area) : (names.get(id) ?? '—');
      },
      userName: (id) => users.find((u) => u.id === id)?.name ?? names.get(id) ?? '—',
    };
    const updatedAt = (state.current as { updatedAt?: unknown }).updatedAt;
    conflict = {
      rows: conflictRows(fields, toForm(state.base), toForm(state.current), state.values, ctx),
      savedAt: typeof updatedAt === 'string' ? updatedAt : null,
      version: state.current.version,
    };
  }

  return {
    values: state.values,
    setValues: (update) => setState((s) => ({ ...s, values: typeof update === 'function' ? (update as (v: V) => V)(s.values) : update })),
    start: state.start,
    base: state.base,
    conflict,
    reloaded: state.reloaded,
    catchConflict(error) {
      const failure = apiErrorOf(error);
      if (failure?.code !== 'CONFLICT' || !failure.current || !state.base) return false;
      const current = schema.safeParse(failure.current);
      if (!current.success || current.data.id !== state.base.id) return false;
      setState((s) => ({ ...s, current: current.data, reloaded: null }));
      return true;
    },
    reload() {
      setState((s) => {
        if (!s.current) return s;
        const base = toForm(s.base);
        const now = toForm(s.current);
        const taken = theirChanges(fields, base, now, s.values).map((c) => labelOf(c.field, t));
        return { base: s.current, start: now, values: mergeValues(fields, base, now, s.values, 'theirs'), current: null, reloaded: taken };
      });
    },
    keepMine() {
      if (!state.current) return null;
      const now = toForm(state.current);
      const values = mergeValues(fields, toForm(state.base), now, state.values, 'mine');
      setState({ base: state.current, start: now, values, current: null, reloaded: null });
      return { values, base: state.current };
    },
  };
}

import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import type { z } from 'zod';
import type { DuplicateMatch } from '../../contract';
import { issuesFromZod, type Result } from '../../contract/errors';
import { normalizePhone } from '../../contract/phone';
import { useAppStore } from '../app/store';
import { useT } from '../i18n';
import { ApiFailure, fieldErrors, notifyError, validationText } from './api';
import type { ConflictFields } from './editConflict';
import { conflictActions } from './saveRecord';
import { useEditConflict } from './useEditConflict';

// The state of a record's create/edit modal that saves with a version and runs a duplicate check while the user
// types (clients with the company engine, candidates with the same-person rule): live validation with the
// contract's schema (the phone read with the country from Settings), the debounced check, the warnings the user
// chose to save past, the save with its refusals (VALIDATION per field, DUPLICATE as the engine decided, CONFLICT
// through useEditConflict) and Reload / Keep mine. Each modal names its fields, its channels and its texts.

export interface DuplicateCheck {
  blocking: DuplicateMatch[];
  warnings: DuplicateMatch[];
}

const noMatches: DuplicateCheck = { blocking: [], warnings: [] };

interface Versioned {
  id: string;
  version: number;
}

export interface RecordFormOptions<R extends Versioned, V extends { phone: string }, I, Q> {
  opened: boolean;
  /** null creates a new record. */
  record: R | null;
  toForm: (record: R | null) => V;
  conflictFields: ConflictFields<V>;
  /** The channel's record schema (a CONFLICT's `current` is checked with it). */
  schema: z.ZodType<R>;
  /** The input schema main enforces, run on every keystroke. */
  fieldsSchema: z.ZodType<unknown>;
  toInput: (values: V) => I;
  /** What the duplicate check compares, from the values; null while too little is typed to check. */
  duplicateQuery: (values: V) => Q | null;
  checkDuplicates: (query: Q & { excludeId: string | null }) => Promise<Result<DuplicateCheck>>;
  create: (input: I & { acknowledgedDuplicateIds: string[] }) => Promise<R>;
  update: (input: I & { acknowledgedDuplicateIds: string[]; id: string; version: number }) => Promise<R>;
  /** After a save: the notification and the caller's own follow-up (the modal closes itself). */
  onSaved: (saved: R, edited: R | null) => void;
  /** Offers the merge on a warning: opens the merge of these two records (after saving a new one). */
  onMerge?: (ids: [string, string]) => void;
  onClose: () => void;
}

export function useRecordForm<R extends Versioned, V extends { phone: string }, I, Q>(options: RecordFormOptions<R, V, I, Q>) {
  const { opened, record } = options;
  type Field = keyof V & string;
  const t = useT();
  const settings = useAppStore((s) => s.settings);
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const [serverErrors, setServerErrors] = useState<Partial<Record<string, string>>>({});
  const [check, setCheck] = useState<DuplicateCheck>(noMatches);
  const [checking, setChecking] = useState(false);
  // The warnings the user chose to save past, by record id: a new match must be looked at again.
  const [acknowledgedIds, setAcknowledgedIds] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const form = useEditConflict({
    opened,
    record,
    toForm: options.toForm,
    fields: options.conflictFields,
    schema: options.schema,
    onOpen: () => {
      setTouched({});
      setServerErrors({});
      setCheck(noMatches);
      setAcknowledgedIds([]);
    },
  });
  const { values, setValues, base } = form;

  // The same schema main enforces, run on every keystroke; the phone with the country from Settings.
  const problemsOf = (v: V) => {
    const parsed = options.fieldsSchema.safeParse(options.toInput(v));
    const errors: Record<string, string> = parsed.success ? {} : fieldErrors(t, issuesFromZod(parsed.error));
    const phone = normalizePhone(v.phone, settings?.defaultCountry ?? 'ES');
    if (!phone.ok) errors.phone = validationText(t, phone.message);
    return errors;
  };
  const liveErrors = problemsOf(values);
  const valid = Object.keys(liveErrors).length === 0;
  const errorFor = (field: Field) => serverErrors[field] ?? (touched[field] ? liveErrors[field] : undefined);
  const dirty = (Object.keys(values) as Field[]).some((k) => String(values[k]) !== String(form.start[k]));

  // The duplicate check while typing, debounced so it runs once the user pauses. Keyed by its text: a new query
  // object on every render would restart the debounce and re-run the check after any re-render (its own result
  // included), endlessly, resetting the user's "save anyway" each time.
  const queryKey = JSON.stringify(options.duplicateQuery(values));
  const query = useMemo(() => JSON.parse(queryKey) as Q | null, [queryKey]);
  const [debounced] = useDebouncedValue(query, 300);
  const { checkDuplicates } = options;
  const excludeId = record?.id ?? null;
  useEffect(() => {
    if (!opened) return;
    if (debounced === null) {
      setCheck(noMatches);
      return;
    }
    let cancelled = false;
    setChecking(true);
    void checkDuplicates({ ...debounced, excludeId }).then((result) => {
      if (cancelled) return;
      setChecking(false);
      if (result.ok) setCheck(result.data);
    });
    return () => {
      cancelled = true;
    };
    // The channel is the modal's, fixed: only what it checks restarts the check.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced, opened, excludeId]);

  const set = <K extends Field>(name: K, value: V[K]) => {
    setValues((v) => ({ ...v, [name]: value }));
    setServerErrors((e) => ({ ...e, [name]: undefined }));
  };
  const touch = (name: Field) => setTouched((tch) => ({ ...tch, [name]: true }));
  /** The props of a text input bound to a field. */
  const textField = (name: Field) => ({
    value: String(values[name]),
    error: errorFor(name),
    onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => set(name, event.currentTarget.value as V[typeof name]),
    onBlur: () => touch(name),
  });

  const acknowledged = check.warnings.length > 0 && check.warnings.every((w) => acknowledgedIds.includes(w.id));
  const needsAcknowledge = check.warnings.length > 0 && !acknowledged;
  const acknowledge = (on: boolean) => {
    const ids = check.warnings.map((w) => w.id);
    setAcknowledgedIds((prev) => (on ? [...new Set([...prev, ...ids])] : prev.filter((id) => !ids.includes(id))));
  };

  // Values and base are arguments: "Keep mine" saves what it merged before the next render shows it.
  // `mergeWith`: the user chose "Save, then merge with …" on a warning, which acknowledges it.
  const save = async (v: V, edited: R | null, mergeWith: string | null = null) => {
    setTouched(Object.fromEntries(Object.keys(v).map((k) => [k, true])) as Partial<Record<Field, boolean>>);
    if (Object.keys(problemsOf(v)).length || check.blocking.length || (needsAcknowledge && !mergeWith)) return;
    setSaving(true);
    const input = { ...options.toInput(v), acknowledgedDuplicateIds: acknowledged || mergeWith ? check.warnings.map((w) => w.id) : [] };
    try {
      const saved = edited ? await options.update({ ...input, id: edited.id, version: edited.version }) : await options.create(input);
      options.onSaved(saved, edited);
      options.onClose();
      if (mergeWith) options.onMerge?.([mergeWith, saved.id]);
    } catch (error) {
      if (form.catchConflict(error)) return;
      if (error instanceof ApiFailure && error.error.code === 'VALIDATION') setServerErrors(fieldErrors(t, error.error.fields));
      else if (error instanceof ApiFailure && error.error.code === 'DUPLICATE') {
        const matches = error.error.matches ?? [];
        // The engine decided which block and which only warn: shown as it said.
        setCheck({ blocking: matches.filter((m) => m.decision === 'block'), warnings: matches.filter((m) => m.decision !== 'block') });
      } else notifyError(t, error);
    } finally {
      setSaving(false);
    }
  };
  const { submit, keepMine } = conflictActions(form, save);

  return {
    form,
    values,
    base,
    set,
    touch,
    textField,
    errorFor,
    dirty,
    saving,
    checking,
    check,
    acknowledged,
    acknowledge,
    canSave: valid && check.blocking.length === 0 && !needsAcknowledge && !form.conflict,
    submit,
    keepMine,
    /** The merge offered on a warned match: editing merges the two existing records, creating saves first. */
    mergeWith: options.onMerge
      ? (matchId: string) => {
          if (!record) return void save(values, base, matchId);
          options.onClose();
          options.onMerge?.([matchId, record.id]);
        }
      : null,
  };
}

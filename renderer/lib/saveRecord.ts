import type { Translate } from '../i18n';
import { ApiFailure, fieldErrors, notifyError } from './api';
import type { EditConflict } from './useEditConflict';

/**
 * A record editor's write: `saving` while it runs; a CONFLICT goes to the form's notice, refused fields under
 * their inputs (in the user's language, from their codes), anything else to a notification.
 */
export async function saveRecord(
  form: Pick<EditConflict<unknown, unknown>, 'catchConflict'>,
  ui: { t: Translate; setSaving: (saving: boolean) => void; setServerErrors: (errors: Record<string, string>) => void },
  write: () => Promise<void>,
): Promise<void> {
  ui.setSaving(true);
  try {
    await write();
  } catch (error) {
    if (form.catchConflict(error)) return;
    if (error instanceof ApiFailure && error.error.code === 'VALIDATION') ui.setServerErrors(fieldErrors(ui.t, error.error.fields));
    else notifyError(ui.t, error);
  } finally {
    ui.setSaving(false);
  }
}

/**
 * Save and Keep mine of an editor with a conflict notice. `save` takes the values and the record they edit as
 * arguments: "Keep mine" saves what it merged before the next render shows it.
 */
export function conflictActions<R, V>(form: EditConflict<R, V>, save: (values: V, base: R | null) => Promise<void>) {
  return {
    // While the conflict notice is up, its Reload and Keep mine are the ways on (Enter included): Save would only be refused again.
    submit: () => (form.conflict ? undefined : save(form.values, form.base)),
    keepMine: () => {
      const merged = form.keepMine();
      if (merged) void save(merged.values, merged.base);
    },
  };
}

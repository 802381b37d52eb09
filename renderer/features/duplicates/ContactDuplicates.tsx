import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconGitMerge } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import type { Output } from '../../../contract';
import type { MergeContactField } from '../../../contract/duplicates';
import { useT, type MessageKey } from '../../i18n';
import { api, must, notifyError } from '../../lib/api';
import { FieldMergeModal, type MergeField } from './FieldMergeModal';
import { notifyWithUndo, undoMerge } from './undo';

type Pair = Output<'contacts.duplicates'>['pairs'][number];
type Side = Pair['first'];

const labels: Record<MergeContactField, MessageKey> = { name: 'contacts.name', role: 'contacts.role', email: 'contacts.email', phone: 'contacts.phone', notes: 'contacts.notes' };

/**
 * Possible duplicate contacts of one client (the one same-person rule), each with "Merge…" (field by field, with
 * Undo in the notification) and "Not a duplicate". Shows nothing when there are none. `version` reloads it.
 */
export function ContactDuplicates({ clientId, version, onChanged }: { clientId: string; version: number; onChanged: () => void }) {
  const t = useT();
  const [pairs, setPairs] = useState<Pair[]>([]);
  const [merging, setMerging] = useState<Pair | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setPairs((await must(api().contacts.duplicates({ clientId }))).pairs);
    } catch (error) {
      notifyError(t, error);
    }
  }, [clientId, t]);
  useEffect(() => {
    void load();
  }, [load, version]);

  const after = () => {
    void load();
    onChanged();
  };

  const dismiss = async (pair: Pair, dismissed: boolean) => {
    try {
      await must(api().duplicates.setDismissed({ kind: 'contact', firstId: pair.first.id, secondId: pair.second.id, dismissed }));
      if (dismissed) notifyWithUndo(t, t('dups.dismissed', { first: pair.first.name, second: pair.second.name }), () => dismiss(pair, false));
      after();
    } catch (error) {
      notifyError(t, error);
    }
  };

  const merge = async (pair: Pair, keep: 0 | 1, take: string[]) => {
    const [survivor, merged] = keep === 0 ? [pair.first, pair.second] : [pair.second, pair.first];
    setBusy(true);
    try {
      const outcome = await must(
        api().contacts.merge({ survivorId: survivor.id, mergedId: merged.id, survivorVersion: survivor.version, mergedVersion: merged.version, takeFromMerged: take as MergeContactField[] }),
      );
      setMerging(null);
      notifyWithUndo(t, t('merge.done', { merged: merged.name, survivor: survivor.name }), () => undoMerge(t, outcome.mergeId, after));
      after();
    } catch (error) {
      notifyError(t, error);
    } finally {
      setBusy(false);
    }
  };

  if (!pairs.length) return null;
  const fields = (pair: Pair): MergeField[] =>
    (Object.keys(labels) as MergeContactField[]).map((key) => ({ key, label: t(labels[key]), values: [pair.first[key] || null, pair.second[key] || null], equal: (pair.first[key] ?? null) === (pair.second[key] ?? null) }));
  const side = (s: Side) => ({ id: s.id, title: s.name, subtitle: [s.role, s.email].filter(Boolean).join(' · ') || t('common.none') });

  return (
    <Alert color="orange" variant="light" title={t('contactDups.title')}>
      <Stack gap="xs">
        <Text size="sm">{t('contactDups.body')}</Text>
        {pairs.map((pair) => {
          const label = t('dups.pairLabel', { first: pair.first.name, second: pair.second.name });
          return (
            <Group key={pair.key} justify="space-between" wrap="nowrap">
              <Text size="sm">
                <Text span fw={600} size="sm">
                  {label}
                </Text>{' '}
                · {pair.reasons.map((r) => t(`contactDups.reason.${r}` as MessageKey)).join(', ')}
              </Text>
              <Group gap="xs" wrap="nowrap">
                <Button size="xs" variant="default" onClick={() => void dismiss(pair, true)} aria-label={`${t('dups.notDuplicate')}: ${label}`}>
                  {t('dups.notDuplicate')}
                </Button>
                <Button size="xs" leftSection={<IconGitMerge size={14} />} onClick={() => setMerging(pair)} aria-label={`${t('dups.merge')} ${label}`}>
                  {t('dups.merge')}
                </Button>
              </Group>
            </Group>
          );
        })}
      </Stack>
      {merging && (
        <FieldMergeModal
          title={t('merge.contactTitle')}
          keepHelp={t('merge.contactKeepHelp')}
          sides={[side(merging.first), side(merging.second)]}
          fields={fields(merging)}
          note={() => t('merge.contactMoves')}
          busy={busy}
          onClose={() => setMerging(null)}
          onSubmit={(keep, take) => void merge(merging, keep, take)}
        />
      )}
    </Alert>
  );
}

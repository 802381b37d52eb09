import { Center, Loader, Modal, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Output } from '../../../contract';
import type { MergeClientField, MergeOutcome } from '../../../contract/duplicates';
import { useAreaLabel } from '../../app/store';
import { useFormat, useT, type MessageKey } from '../../i18n';
import { api, errorText, must, notifyError } from '../../lib/api';
import { FieldMergeModal, type MergeField, type MergeSide } from './FieldMergeModal';
import { notifyWithUndo, undoMerge } from './undo';

type Detail = Output<'clients.get'>;
type Client = Detail['client'];

const labels: Record<MergeClientField, MessageKey> = {
  companyName: 'clientForm.companyName', email: 'clientForm.email', areaId: 'clientForm.area', phone: 'clientForm.phone', website: 'clientForm.website',
  comments: 'clientForm.comments', status: 'clientForm.status', ownerId: 'clientForm.owner', defaultFeePercent: 'clientForm.feePercent',
  defaultGuaranteeDays: 'clientForm.guaranteeDays', defaultPaymentTermsDays: 'clientForm.paymentTermsDays',
};

/**
 * Merges two clients: loads both, lets the person choose the one to keep and the value of each differing field,
 * and after the merge offers Undo in the notification. `onDone` runs after a merge and after its undo.
 */
export function ClientMergeModal({ ids, onClose, onDone }: { ids: [string, string]; onClose: () => void; onDone: (outcome: MergeOutcome | null) => void }) {
  const t = useT();
  const format = useFormat();
  const areaLabel = useAreaLabel();
  const [details, setDetails] = useState<[Detail, Detail] | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    Promise.all(ids.map((id) => must(api().clients.get({ id }))))
      .then((loaded) => live && setDetails(loaded as [Detail, Detail]))
      .catch((error: unknown) => live && setFailure(error));
    return () => {
      live = false;
    };
  }, [ids]);

  if (!details) {
    return (
      <Modal opened onClose={onClose} title={t('merge.title')} size="xl">
        <Center mih={160}>{failure ? <Text c="red">{`${t('merge.loadFailed')} ${errorText(t, failure)}`}</Text> : <Loader />}</Center>
      </Modal>
    );
  }

  const shown = (client: Client, field: MergeClientField): string | null => {
    const value = client[field];
    if (value === null || value === '') return null;
    if (field === 'areaId') return areaLabel({ key: client.areaKey, name: client.areaName });
    if (field === 'ownerId') return client.ownerName;
    if (field === 'status') return t(`status.${client.status}`);
    if (field === 'defaultFeePercent') return `${format.number(Number(value))} %`;
    return String(value);
  };
  const [a, b] = [details[0].client, details[1].client];
  const fields: MergeField[] = (Object.keys(labels) as MergeClientField[]).map((key) => ({ key, label: t(labels[key]), values: [shown(a, key), shown(b, key)], equal: (a[key] ?? null) === (b[key] ?? null) }));

  const submit = async (keep: 0 | 1, take: string[]) => {
    const [survivor, merged] = keep === 0 ? details : [details[1], details[0]];
    setBusy(true);
    try {
      const outcome = await must(
        api().clients.merge({
          survivorId: survivor.client.id, mergedId: merged.client.id, survivorVersion: survivor.client.version, mergedVersion: merged.client.version,
          takeFromMerged: take as MergeClientField[],
        }),
      );
      notifyWithUndo(t, t('merge.done', { merged: merged.client.companyName, survivor: outcome.survivor.companyName }), () => undoMerge(t, outcome.mergeId, () => onDone(null)));
      onDone(outcome);
    } catch (error) {
      notifyError(t, error);
    } finally {
      setBusy(false);
    }
  };

  const sides = details.map((d) => ({ id: d.client.id, title: `${d.client.code} · ${d.client.companyName}`, subtitle: t('dups.created', { date: format.date(d.client.createdAt) }) })) as [MergeSide, MergeSide];
  return (
    <FieldMergeModal
      title={t('merge.title')}
      keepHelp={t('merge.keepHelp')}
      sides={sides}
      fields={fields}
      note={(keep) => {
        const moving = details[1 - keep]!.counts;
        return t('merge.moves', { contacts: moving.contacts, events: moving.events, jobs: moving.jobs });
      }}
      busy={busy}
      onClose={onClose}
      onSubmit={(keep, take) => void submit(keep, take)}
    />
  );
}

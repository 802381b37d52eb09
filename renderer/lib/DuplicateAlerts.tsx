import { Alert, Anchor, Checkbox, Text } from '@mantine/core';
import { IconAlertTriangle, IconCopy } from '@tabler/icons-react';
import type { DuplicateMatch } from '../../contract';
import { useT, type MessageKey } from '../i18n';
import type { DuplicateCheck } from './useRecordForm';

/** The texts of one kind of record's duplicate alerts (clients and candidates word them their own way). */
export interface DuplicateTexts {
  blockedTitle: MessageKey;
  blockedBody: MessageKey;
  warningTitle: MessageKey;
  warningBody: MessageKey;
  acknowledge: MessageKey;
  /** The link that opens a match: `{name}` is filled from `name`. */
  open: MessageKey;
  /** Each reason's words; `fallback` for a reason the list does not know. */
  reasons: Record<string, MessageKey>;
  fallback: MessageKey;
}

/**
 * What the duplicate check found, under a record's form: the matches that block the save (red), else those that
 * warn (yellow) with the box that saves past them. Each match links to the existing record.
 */
export function DuplicateAlerts({
  form,
  texts,
  onOpen,
  name,
  details,
  merge,
}: {
  /** The form's check and the user's "save anyway" (useRecordForm). */
  form: { check: DuplicateCheck; acknowledged: boolean; acknowledge: (on: boolean) => void };
  texts: DuplicateTexts;
  onOpen: (id: string) => void;
  name: (match: DuplicateMatch) => string;
  /** The dimmed words after the link (code, email…), before the reasons. */
  details: (match: DuplicateMatch) => string;
  /** "Merge with …" on a match that only warns: its label and what it does (absent: no merge offered). */
  merge?: { label: (match: DuplicateMatch) => string; run: (match: DuplicateMatch) => void };
}) {
  const t = useT();
  const { check, acknowledged, acknowledge: onAcknowledge } = form;
  const reasonsText = (m: DuplicateMatch) => m.reasons.map((r) => t(texts.reasons[r] ?? texts.fallback)).join(', ');
  const matchLink = (m: DuplicateMatch) => (
    <Text size="sm" key={m.id}>
      <Anchor component="button" type="button" onClick={() => onOpen(m.id)}>
        {t(texts.open, { name: name(m) })}
      </Anchor>{' '}
      <Text span c="dimmed" size="sm">
        {details(m)} · {reasonsText(m)}
      </Text>
      {merge && m.decision === 'warn' && (
        <>
          {' · '}
          <Anchor component="button" type="button" size="sm" onClick={() => merge.run(m)}>
            {merge.label(m)}
          </Anchor>
        </>
      )}
    </Text>
  );
  if (check.blocking.length > 0) {
    return (
      <Alert color="red" icon={<IconCopy size={18} />} title={t(texts.blockedTitle)} role="alert">
        <Text size="sm" mb={4}>
          {t(texts.blockedBody)}
        </Text>
        {check.blocking.map(matchLink)}
      </Alert>
    );
  }
  if (!check.warnings.length) return null;
  return (
    <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title={t(texts.warningTitle)} role="alert">
      <Text size="sm" mb={4}>
        {t(texts.warningBody)}
      </Text>
      {check.warnings.map(matchLink)}
      <Checkbox mt="sm" label={t(texts.acknowledge)} checked={acknowledged} onChange={(event) => onAcknowledge(event.currentTarget.checked)} />
    </Alert>
  );
}

import { ActionIcon, Anchor, Badge, Box, Button, Card, FileButton, Grid, Group, Loader, Menu, Select, Stack, Table, Text, Timeline, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconChevronDown, IconDoorExit, IconDownload, IconFileCv, IconFileText, IconPencil, IconPlus, IconTrash, IconUpload } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { Output } from '../../../contract';
import type { HistoryEntry } from '../../../contract/clients';
import type { Application, Stage } from '../../../contract/pipeline';
import { useFormat, useT, type MessageKey, type Translate } from '../../i18n';
import { ApiFailure, api, must, notifyError } from '../../lib/api';
import { DetailHeader, DetailPending, useDetail } from '../../lib/DetailPage';
import { ConfirmModal } from '../../lib/ConfirmModal';
import { EmptyCard } from '../../lib/EmptyCard';
import { formatMoney } from '../../lib/money';
import { downloadFile, uploadFile } from '../transfer/files';
import { CandidateFormModal, sourceLabel } from './CandidateFormModal';
import { ApplyModal } from './PipelineBoard';
import { DepartureModal, PlacementModal, feeFormula, guaranteeText } from './PlacementModal';
import { stageColors, stageLabel, useCandidateList, useStages } from './store';

type Detail = Output<'candidates.get'>;

/** A candidate: profile and documents, applications to postings with their stage and placement, history. */
export function CandidatePage() {
  const t = useT();
  const format = useFormat();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const [editing, setEditing] = useState(false);
  const [applying, setApplying] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [placing, setPlacing] = useState<Application | null>(null);
  const [departing, setDeparting] = useState<Application | null>(null);
  const [uploading, setUploading] = useState(false);
  const [version, setVersion] = useState(0);
  const stages = useStages((s) => s.stages);
  const loadStages = useStages((s) => s.load);
  const reloadList = useCandidateList((s) => s.reload);

  const fetchDetail = useCallback(async (): Promise<{ detail: Detail; applications: Application[] }> => {
    const [detail, applications] = await Promise.all([must(api().candidates.get({ id })), must(api().applications.list({ candidateId: id }))]);
    return { detail, applications };
  }, [id]);
  const { data, failure, reload } = useDetail(fetchDetail);
  useEffect(() => {
    void loadStages().catch(() => undefined);
  }, [loadStages]);
  const refresh = () => {
    void reload();
    setVersion((v) => v + 1);
    void reloadList();
  };

  if (!data) return <DetailPending failure={failure} listPath="/candidates" backLabel={t('candidates.backToList')} />;
  const { detail, applications } = data;
  const { candidate, documents } = detail;
  const removed = candidate.deletedAt !== null;

  const setRemoved = async (remove: boolean) => {
    setRemoving(false);
    try {
      await must(remove ? api().candidates.delete({ id: candidate.id, version: candidate.version }) : api().candidates.restore({ id: candidate.id, version: candidate.version }));
      notifications.show({ color: 'teal', message: t(remove ? 'candidates.removed' : 'candidates.restored', { name: candidate.fullName }) });
      refresh();
    } catch (error) {
      notifyError(t, error);
      if (error instanceof ApiFailure && error.error.code === 'CONFLICT') refresh();
    }
  };
  const upload = async (file: File | null) => {
    if (!file) return;
    setUploading(true);
    try {
      const staged = await uploadFile(file, () => undefined);
      await must(api().candidates.addDocument({ candidateId: candidate.id, fileId: staged.fileId, kind: documents.some((d) => d.kind === 'cv') ? 'other' : 'cv' }));
      notifications.show({ color: 'teal', message: t('candidates.documentAdded', { name: file.name }) });
      refresh();
    } catch (error) {
      notifyError(t, error);
    } finally {
      setUploading(false);
    }
  };
  const download = async (documentId: string) => {
    try {
      const opened = await must(api().candidates.openDocument({ id: documentId }));
      if (opened.action === 'download') await downloadFile(await must(api().candidates.stageDocument({ id: documentId })));
    } catch (error) {
      notifyError(t, error);
    }
  };
  const removeDocument = async (documentId: string) => {
    try {
      await must(api().candidates.removeDocument({ id: documentId }));
      refresh();
    } catch (error) {
      notifyError(t, error);
    }
  };
  const moveTo = async (app: Application, stageId: string) => {
    const stage = stages.find((s) => s.id === stageId);
    if (!stage || stage.id === app.stageId) return;
    if (stage.kind === 'placed') return setPlacing(app);
    try {
      await must(api().applications.move({ id: app.id, version: app.version, stageId }));
      refresh();
    } catch (error) {
      notifyError(t, error);
      if (error instanceof ApiFailure && error.error.code === 'CONFLICT') refresh();
    }
  };

  const field = (label: MessageKey, value: React.ReactNode) => (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {t(label)}
      </Text>
      <Text size="sm">{value || '—'}</Text>
    </div>
  );

  return (
    <Stack gap={0} mih="100vh">
      <DetailHeader
        listPath="/candidates"
        listTitle={t('candidates.title')}
        code={candidate.code}
        title={candidate.fullName}
        badges={
          removed && (
            <Badge variant="filled" color="gray">
              {t('candidates.removedBadge')}
            </Badge>
          )
        }
        subtitle={
          <Text c="dimmed" size="sm">
            {[candidate.currentTitle, candidate.currentCompany].filter(Boolean).join(' · ') || candidate.code}
          </Text>
        }
        actions={
          <>
            <Button leftSection={<IconPlus size={16} />} variant="light" onClick={() => setApplying(true)} disabled={removed}>
              {t('candidates.apply')}
            </Button>
            <Button leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)} disabled={removed}>
              {t('candidates.edit')}
            </Button>
            <Menu position="bottom-end">
              <Menu.Target>
                <Button variant="default" rightSection={<IconChevronDown size={16} />}>
                  {t('detail.more')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                {removed ? (
                  <Menu.Item leftSection={<IconArrowBackUp size={16} />} onClick={() => void setRemoved(false)}>
                    {t('candidates.restore')}
                  </Menu.Item>
                ) : (
                  <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => setRemoving(true)}>
                    {t('candidates.remove')}
                  </Menu.Item>
                )}
              </Menu.Dropdown>
            </Menu>
          </>
        }
      />

      <Box p="xl">
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Stack gap="lg">
              <Card withBorder padding="lg" component="section" aria-label={t('candidates.profile')}>
                <Title order={2} size="h4" mb="md">
                  {t('candidates.profile')}
                </Title>
                <Stack gap="sm">
                  {field('candidates.field.email', candidate.email)}
                  {field('candidates.field.phone', candidate.phone)}
                  {field('candidates.field.location', candidate.location)}
                  {field('candidates.field.source', candidate.source ? sourceLabel(t, candidate.source) : null)}
                  {field('candidates.field.owner', candidate.ownerName)}
                  {field(
                    'candidates.field.tags',
                    candidate.tags.length ? (
                      <Group gap={4} component="span">
                        {candidate.tags.map((tag) => (
                          <Badge key={tag} variant="light" color="gray" size="sm" tt="none">
                            {tag}
                          </Badge>
                        ))}
                      </Group>
                    ) : null,
                  )}
                  {field('candidates.field.notes', candidate.notes ? <span style={{ whiteSpace: 'pre-wrap' }}>{candidate.notes}</span> : null)}
                  {field('candidates.field.created', format.date(candidate.createdAt))}
                </Stack>
              </Card>
              <Card withBorder padding="lg" component="section" aria-label={t('candidates.documents')}>
                <Group justify="space-between" mb="md">
                  <Title order={2} size="h4">
                    {t('candidates.documents')}
                  </Title>
                  {!removed && (
                    <FileButton onChange={(file) => void upload(file)}>
                      {(props) => (
                        <Button {...props} size="xs" variant="light" leftSection={<IconUpload size={14} />} loading={uploading}>
                          {documents.some((d) => d.kind === 'cv') ? t('candidates.addDocument') : t('candidates.addCv')}
                        </Button>
                      )}
                    </FileButton>
                  )}
                </Group>
                {documents.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('candidates.noDocuments')}
                  </Text>
                ) : (
                  <Stack gap="xs">
                    {documents.map((d) => (
                      <Group key={d.id} justify="space-between" wrap="nowrap">
                        <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                          {d.kind === 'cv' ? <IconFileCv size={18} /> : <IconFileText size={18} />}
                          <div style={{ minWidth: 0 }}>
                            <Text size="sm" truncate>
                              {d.fileName}
                            </Text>
                            <Text size="xs" c="dimmed">
                              {t(d.kind === 'cv' ? 'candidates.kind.cv' : 'candidates.kind.other')} · {format.number(Math.max(1, Math.round(d.sizeBytes / 1024)))} KB
                            </Text>
                          </div>
                        </Group>
                        <Group gap={2} wrap="nowrap">
                          <ActionIcon variant="subtle" color="gray" aria-label={t('candidates.openDocument', { name: d.fileName })} onClick={() => void download(d.id)}>
                            <IconDownload size={16} />
                          </ActionIcon>
                          {!removed && (
                            <ActionIcon variant="subtle" color="red" aria-label={t('candidates.removeDocument', { name: d.fileName })} onClick={() => void removeDocument(d.id)}>
                              <IconTrash size={16} />
                            </ActionIcon>
                          )}
                        </Group>
                      </Group>
                    ))}
                  </Stack>
                )}
              </Card>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Stack gap="lg">
              <Card withBorder padding={0} component="section" aria-label={t('candidates.applications')}>
                <Title order={2} size="h4" p="lg" pb="sm">
                  {t('candidates.applications')}
                </Title>
                {applications.length === 0 ? (
                  <Box p="lg" pt={0}>
                    <EmptyCard icon={<IconPlus />} title={t('candidates.noApplications.title')} body={t('candidates.noApplications.body')} />
                  </Box>
                ) : (
                  <Table verticalSpacing="sm" horizontalSpacing="lg" aria-label={t('candidates.applications')}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th w="34%">{t('candidates.col.posting')}</Table.Th>
                        <Table.Th w={200}>{t('candidates.col.stage')}</Table.Th>
                        <Table.Th>{t('candidates.col.placement')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {applications.map((app) => (
                        <ApplicationRow key={app.id} app={app} stages={stages} disabled={removed} onMove={(stageId) => void moveTo(app, stageId)} onDepart={() => setDeparting(app)} />
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
              </Card>
              <CandidateHistory candidateId={candidate.id} version={version} />
            </Stack>
          </Grid.Col>
        </Grid>
      </Box>

      <CandidateFormModal opened={editing} candidate={candidate} onClose={() => setEditing(false)} onSaved={refresh} onOpenCandidate={(other) => void navigate(`/candidates/${other}`)} />
      {applying && <ApplyModal jobId={null} candidateId={candidate.id} onClose={() => setApplying(false)} onApplied={refresh} />}
      <PlacementModal application={placing} onClose={() => setPlacing(null)} onPlaced={refresh} />
      {departing?.placement && <DepartureModal placement={departing.placement} candidateName={candidate.fullName} onClose={() => setDeparting(null)} onSaved={refresh} />}
      <ConfirmModal
        opened={removing}
        title={t('candidates.removeConfirm.title', { name: candidate.fullName })}
        body={t('candidates.removeConfirm.body')}
        confirmLabel={t('candidates.remove')}
        onConfirm={() => void setRemoved(true)}
        onClose={() => setRemoving(false)}
      />
    </Stack>
  );
}

function ApplicationRow({ app, stages, disabled, onMove, onDepart }: { app: Application; stages: Stage[]; disabled: boolean; onMove: (stageId: string) => void; onDepart: () => void }) {
  const t = useT();
  const format = useFormat();
  const navigate = useNavigate();
  const current = stages.find((s) => s.id === app.stageId);
  const p = app.placement;
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component="button" type="button" size="sm" fw={600} ta="left" onClick={() => void navigate(`/clients/${app.clientId}/jobs`)}>
          {app.jobTitle}
        </Anchor>
        <Text size="xs" c="dimmed">
          {app.jobCode} · {app.clientName}
        </Text>
        <Text size="xs" c="dimmed">
          {t('pipeline.since', { date: format.dateTime(app.stageChangedAt), who: app.stageChangedByName ?? '—' })}
        </Text>
      </Table.Td>
      <Table.Td>
        <Select
          aria-label={t('candidates.moveStage', { posting: app.jobCode })}
          size="xs"
          data={stages.filter((s) => s.active || s.id === app.stageId).map((s) => ({ value: s.id, label: stageLabel(t, s) }))}
          value={app.stageId}
          onChange={(v) => v && onMove(v)}
          allowDeselect={false}
          disabled={disabled}
          leftSection={<Badge size="xs" circle color={current ? stageColors[current.kind] : 'gray'} />}
        />
      </Table.Td>
      <Table.Td>
        {p ? (
          <Stack gap={2}>
            <Group gap="xs" wrap="nowrap">
              <Text size="sm" fw={600}>
                {formatMoney(p.feeMinor - p.refundMinor, p.salaryCurrency, format.locale)}
              </Text>
              {p.leftOn === null && (
                <Tooltip label={t('departure.action')}>
                  <ActionIcon size="sm" variant="subtle" color="gray" aria-label={t('departure.actionFor', { name: app.candidateName })} onClick={onDepart}>
                    <IconDoorExit size={14} />
                  </ActionIcon>
                </Tooltip>
              )}
            </Group>
            <Text size="xs" c="dimmed">
              {feeFormula(t, format, p)}
            </Text>
            <Text size="xs" c="dimmed">
              {t('placement.started', { date: format.date(`${p.startDate}T12:00:00Z`) })} · {guaranteeText(t, format, p)}
            </Text>
            {p.leftOn && <Text size="xs" c="orange">{settlementText(t, format, p)}</Text>}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function settlementText(t: Translate, format: ReturnType<typeof useFormat>, p: NonNullable<Application['placement']>): string {
  const date = format.date(`${p.leftOn}T12:00:00Z`);
  if (p.settlement === 'refund') return t('placement.leftRefund', { date, refund: formatMoney(p.refundMinor, p.salaryCurrency, format.locale) });
  if (p.settlement === 'replacement') return t('placement.leftReplacement', { date });
  return t('placement.leftOutside', { date });
}

const fieldLabels: Record<string, MessageKey> = {
  full_name: 'candidates.field.fullName',
  email: 'candidates.field.email',
  phone: 'candidates.field.phone',
  location: 'candidates.field.location',
  current_title: 'candidates.field.currentTitle',
  current_company: 'candidates.field.currentCompany',
  source: 'candidates.field.source',
  tags: 'candidates.field.tags',
  notes: 'candidates.field.notes',
  owner_id: 'candidates.field.owner',
  stage_id: 'candidates.col.stage',
  left_on: 'departure.leftOn',
};

/** What an entry did, in a sentence: the candidate's own changes, a document, an application's moves, a placement. */
function entryText(t: Translate, entry: HistoryEntry, stageName: (value: string) => string): string {
  const who = entry.userName ?? t('history.someone');
  const label = entry.entityLabel ?? '';
  if (entry.entity === 'candidate_document') return t(entry.operation === 'delete' ? 'candidates.history.documentRemoved' : 'candidates.history.documentAdded', { who, name: label });
  if (entry.entity === 'application') {
    if (entry.operation === 'create') return t('candidates.history.applied', { who, posting: label });
    if (entry.operation === 'delete') return t('candidates.history.unapplied', { who, posting: label });
    const stage = entry.changes.find((c) => c.field === 'stage_id');
    if (stage && typeof stage.new === 'string') return t('candidates.history.moved', { who, posting: label, stage: stageName(stage.new) });
    return t('candidates.history.applicationChanged', { who, posting: label });
  }
  if (entry.entity === 'placement') {
    if (entry.operation === 'create') return t('candidates.history.placed', { who, posting: label });
    if (entry.operation === 'delete') return t('candidates.history.unplaced', { who, posting: label });
    return t('candidates.history.departure', { who, posting: label });
  }
  if (entry.operation === 'create') return t('candidates.history.created', { who });
  if (entry.operation === 'delete') return t('candidates.history.removed', { who });
  if (entry.operation === 'restore') return t('candidates.history.restored', { who });
  return t('candidates.history.changed', { who });
}

/** The change log of the candidate and of what belongs to it, newest first. */
function CandidateHistory({ candidateId, version }: { candidateId: string; version: number }) {
  const t = useT();
  const format = useFormat();
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const load = useCallback(
    async (after: string | null) => {
      try {
        const page = await must(api().candidates.history({ candidateId, limit: 20, cursor: after }));
        setEntries((e) => (after ? [...(e ?? []), ...page.entries] : page.entries));
        setCursor(page.nextCursor);
      } catch (error) {
        notifyError(t, error);
        setEntries((e) => e ?? []);
      }
    },
    [candidateId, t],
  );
  useEffect(() => {
    void load(null);
  }, [load, version]);
  // Stage names travel as "stage:<key>:<name>" for built-in stages: translated unless renamed.
  const stageName = (value: string) => {
    const match = /^stage:([^:]+):(.*)$/.exec(value);
    return match ? stageLabel(t, { key: match[1]!, name: match[2]! }) : value;
  };
  const show = (field: string, value: HistoryEntry['changes'][number]['old']) => {
    if (value === null || value === '') return t('common.none');
    if (field === 'stage_id' && typeof value === 'string') return stageName(value);
    if (field === 'tags' && typeof value === 'string') {
      try {
        return (JSON.parse(value) as string[]).join(', ') || t('common.none');
      } catch {
        return value;
      }
    }
    return String(value);
  };

  return (
    <Card withBorder padding="lg" component="section" aria-label={t('history.title')}>
      <Title order={2} size="h4" mb="md">
        {t('history.title')}
      </Title>
      {entries === null ? (
        <Loader size="sm" />
      ) : entries.length === 0 ? (
        <Text c="dimmed">{t('history.empty')}</Text>
      ) : (
        <Timeline bulletSize={20} lineWidth={2}>
          {entries.map((entry) => (
            <Timeline.Item key={entry.id} title={<Text size="sm" fw={600}>{entryText(t, entry, stageName)}</Text>}>
              {entry.operation === 'update' &&
                entry.changes
                  .filter((c) => fieldLabels[c.field])
                  .map((c) => (
                    <Text key={c.field} size="xs" c="dimmed">
                      {t(fieldLabels[c.field]!)}: {show(c.field, c.old)} → {show(c.field, c.new)}
                    </Text>
                  ))}
              <Text size="xs" c="dimmed">
                {format.dateTime(entry.changedAt)}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      {cursor && (
        <Button variant="subtle" size="xs" mt="sm" onClick={() => void load(cursor)}>
          {t('history.more')}
        </Button>
      )}
    </Card>
  );
}

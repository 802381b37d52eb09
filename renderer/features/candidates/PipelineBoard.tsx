import { ActionIcon, Alert, Badge, Button, Center, Group, Loader, Modal, Select, Stack, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDoorExit, IconPlus, IconUserPlus } from '@tabler/icons-react';
import { useCallback, useEffect, useId, useState } from 'react';
import { useNavigate } from 'react-router';
import type { Output } from '../../../contract';
import type { Application, Stage } from '../../../contract/pipeline';
import { useFormat, useT } from '../../i18n';
import { ApiFailure, api, errorText, fieldErrorText, must, notifyError } from '../../lib/api';
import { ConfirmModal } from '../../lib/ConfirmModal';
import { formatMoney } from '../../lib/money';
import classes from './Candidates.module.css';
import { DepartureModal, PlacementModal } from './PlacementModal';
import { stageColors, stageLabel } from './store';

type Pipeline = Output<'applications.pipeline'>;

/**
 * A posting's pipeline: a column per stage with its count, a card per application. A card moves by dragging it
 * to another column, or from the keyboard: focus it and press the left or right arrow for the previous or next
 * stage. A move to Placed asks for the placement; a move out of Placed asks first (the placement goes).
 */
export function PipelineBoard({ jobId, onChanged }: { jobId: string; onChanged?: () => void }) {
  const t = useT();
  const format = useFormat();
  const navigate = useNavigate();
  const helpId = useId();
  const [pipeline, setPipeline] = useState<Pipeline | null>(null);
  const [failed, setFailed] = useState(false);
  const [placing, setPlacing] = useState<Application | null>(null);
  const [unplacing, setUnplacing] = useState<{ app: Application; stage: Stage } | null>(null);
  const [departing, setDeparting] = useState<Application | null>(null);
  const [adding, setAdding] = useState(false);
  const [over, setOver] = useState<string | null>(null);
  const [status, setStatus] = useState('');

  const load = useCallback(async () => {
    try {
      setPipeline(await must(api().applications.pipeline({ jobId })));
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, [jobId]);
  useEffect(() => {
    void load();
  }, [load]);
  const changed = () => {
    void load();
    onChanged?.();
  };

  if (failed) {
    return (
      <Alert color="red" role="alert">
        <Group justify="space-between">
          <Text size="sm">{t('error.loadFailed')}</Text>
          <Button size="xs" variant="light" onClick={() => void load()}>
            {t('common.retry')}
          </Button>
        </Group>
      </Alert>
    );
  }
  if (!pipeline) {
    return (
      <Center py="xl">
        <Loader />
      </Center>
    );
  }
  const { stages, applications } = pipeline;
  const stageById = new Map(stages.map((s) => [s.id, s]));
  const count = (stageId: string) => pipeline.counts.find((c) => c.stageId === stageId)?.count ?? 0;

  const moveTo = async (app: Application, stage: Stage) => {
    if (stage.id === app.stageId) return;
    const from = stageById.get(app.stageId);
    if (stage.kind === 'placed') return setPlacing(app);
    if (from?.kind === 'placed') return setUnplacing({ app, stage });
    await move(app, stage);
  };
  const move = async (app: Application, stage: Stage) => {
    try {
      await must(api().applications.move({ id: app.id, version: app.version, stageId: stage.id }));
      const text = t('pipeline.moved', { name: app.candidateName, stage: stageLabel(t, stage) });
      setStatus(text);
      changed();
    } catch (error) {
      notifyError(t, error);
      // Moved by someone else meanwhile: the board shows it as it is now.
      if (error instanceof ApiFailure && error.error.code === 'CONFLICT') void load();
    }
  };
  const step = (app: Application, delta: number) => {
    const index = stages.findIndex((s) => s.id === app.stageId);
    const next = stages[index + delta];
    if (next && next.active) void moveTo(app, next);
  };

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed" id={helpId}>
          {t('pipeline.help')}
        </Text>
        {(pipeline.job.status === 'open' || pipeline.job.status === 'on_hold' || pipeline.job.status === 'draft') && (
          <Button size="xs" variant="light" leftSection={<IconUserPlus size={14} />} onClick={() => setAdding(true)}>
            {t('pipeline.add')}
          </Button>
        )}
      </Group>
      {pipeline.replacementsOwed.length > 0 && (
        <Alert color="orange" variant="light">
          {t('pipeline.replacementOwed', { names: pipeline.replacementsOwed.map((r) => r.candidateName).join(', ') })}
        </Alert>
      )}
      <VisuallyHidden role="status" aria-live="polite">
        {status}
      </VisuallyHidden>
      <div className={classes.board} role="list" aria-label={t('pipeline.title', { code: pipeline.job.code })}>
        {stages.map((stage) => {
          const cards = applications.filter((a) => a.stageId === stage.id);
          return (
            <section
              key={stage.id}
              className={classes.column}
              data-over={over === stage.id}
              aria-label={t('pipeline.column', { stage: stageLabel(t, stage), count: count(stage.id) })}
              onDragOver={(e) => {
                if (!stage.active) return;
                e.preventDefault();
                setOver(stage.id);
              }}
              onDragLeave={() => setOver((o) => (o === stage.id ? null : o))}
              onDrop={(e) => {
                e.preventDefault();
                setOver(null);
                const app = applications.find((a) => a.id === e.dataTransfer.getData('text/plain'));
                if (app) void moveTo(app, stage);
              }}
            >
              <div className={classes.columnHeader}>
                <Text span size="xs" fw={700} c={stageColors[stage.kind]} tt="uppercase">
                  {stageLabel(t, stage)}
                </Text>
                <Badge size="sm" variant="light" color={stageColors[stage.kind]} aria-label={t('pipeline.count', { count: count(stage.id) })}>
                  {count(stage.id)}
                </Badge>
              </div>
              <div className={classes.cards} role="list">
                {cards.length === 0 && (
                  <Text size="xs" c="dimmed" ta="center" py="sm">
                    {t('pipeline.emptyColumn')}
                  </Text>
                )}
                {cards.map((app) => (
                  <div
                    key={app.id}
                    role="listitem"
                    tabIndex={0}
                    draggable
                    className={classes.card}
                    aria-label={t('pipeline.card', { name: app.candidateName, stage: stageLabel(t, stage) })}
                    aria-describedby={helpId}
                    data-testid="pipeline-card"
                    onDragStart={(e) => {
                      e.dataTransfer.setData('text/plain', app.id);
                      e.dataTransfer.effectAllowed = 'move';
                    }}
                    onKeyDown={(e) => {
                      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                        e.preventDefault();
                        step(app, e.key === 'ArrowRight' ? 1 : -1);
                      } else if (e.key === 'Enter') void navigate(`/candidates/${app.candidateId}`);
                    }}
                    onDoubleClick={() => void navigate(`/candidates/${app.candidateId}`)}
                  >
                    <Group justify="space-between" wrap="nowrap" gap={4}>
                      <Text size="sm" fw={600} truncate>
                        {app.candidateName}
                      </Text>
                      {app.placement && !app.placement.leftOn && (
                        <Tooltip label={t('departure.action')}>
                          <ActionIcon size="sm" variant="subtle" color="gray" aria-label={t('departure.actionFor', { name: app.candidateName })} onClick={() => setDeparting(app)}>
                            <IconDoorExit size={14} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Group>
                    {app.candidateTitle && (
                      <Text size="xs" c="dimmed" truncate>
                        {app.candidateTitle}
                      </Text>
                    )}
                    {app.placement ? (
                      <Text size="xs" mt={4}>
                        {formatMoney(app.placement.feeMinor - app.placement.refundMinor, app.placement.salaryCurrency, format.locale)}
                        {app.placement.guaranteeEndDate && !app.placement.leftOn ? ` · ${t('pipeline.guaranteeUntil', { date: format.date(`${app.placement.guaranteeEndDate}T12:00:00Z`) })}` : ''}
                        {app.placement.leftOn ? ` · ${t('pipeline.left', { date: format.date(`${app.placement.leftOn}T12:00:00Z`) })}` : ''}
                      </Text>
                    ) : (
                      <Text size="xs" c="dimmed" mt={4}>
                        {t('pipeline.since', { date: format.date(app.stageChangedAt), who: app.stageChangedByName ?? '—' })}
                      </Text>
                    )}
                  </div>
                ))}
              </div>
            </section>
          );
        })}
      </div>
      <PlacementModal application={placing} onClose={() => setPlacing(null)} onPlaced={changed} />
      {departing?.placement && <DepartureModal placement={departing.placement} candidateName={departing.candidateName} onClose={() => setDeparting(null)} onSaved={changed} />}
      <ConfirmModal
        opened={unplacing !== null}
        title={t('pipeline.unplace.title')}
        body={unplacing ? t('pipeline.unplace.body', { name: unplacing.app.candidateName, stage: stageLabel(t, unplacing.stage) }) : ''}
        confirmLabel={t('pipeline.unplace.confirm')}
        onConfirm={() => {
          const target = unplacing;
          setUnplacing(null);
          if (target) void move(target.app, target.stage);
        }}
        onClose={() => setUnplacing(null)}
      />
      {adding && <ApplyModal jobId={jobId} candidateId={null} onClose={() => setAdding(false)} onApplied={changed} />}
    </Stack>
  );
}

/** The pipeline of one posting in a large dialog (from the Jobs tab and the Jobs page). */
export function PipelineModal({ job, onClose, onChanged }: { job: { id: string; code: string; title: string; clientName?: string } | null; onClose: () => void; onChanged?: () => void }) {
  const t = useT();
  return (
    <Modal opened={job !== null} onClose={onClose} size="90%" title={job ? `${t('pipeline.modalTitle')} · ${job.code} ${job.title}${job.clientName ? ` · ${job.clientName}` : ''}` : ''}>
      {job && <PipelineBoard jobId={job.id} onChanged={onChanged} />}
    </Modal>
  );
}

/** Applies a candidate to a posting: the candidate picked by search (from a posting) or the posting (from a candidate). */
export function ApplyModal({ jobId, candidateId, onClose, onApplied }: { jobId: string | null; candidateId: string | null; onClose: () => void; onApplied: () => void }) {
  const t = useT();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 150);
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [picked, setPicked] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pickingJob = jobId === null;

  useEffect(() => {
    let cancelled = false;
    const load = pickingJob
      ? must(api().jobs.list({ search: debounced, statuses: ['open', 'on_hold'], limit: 50 })).then((r) => r.rows.map((j) => ({ value: j.id, label: `${j.code} · ${j.title} · ${j.clientName}` })))
      : must(api().candidates.list({ search: debounced, limit: 50 })).then((r) => r.rows.map((c) => ({ value: c.id, label: `${c.fullName}${c.email ? ` · ${c.email}` : ''}` })));
    void load
      .then((list) => {
        if (!cancelled) setOptions((prev) => [...list, ...prev.filter((p) => p.value === picked && !list.some((l) => l.value === p.value))]);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [debounced, pickingJob, picked]);

  const save = async () => {
    if (!picked) return;
    setSaving(true);
    setError(null);
    try {
      await must(api().applications.create({ candidateId: candidateId ?? picked, jobId: jobId ?? picked }));
      notifications.show({ color: 'teal', message: t('pipeline.applied') });
      onApplied();
      onClose();
    } catch (failure) {
      const field = failure instanceof ApiFailure ? failure.error.fields?.[0] : undefined;
      setError(field ? fieldErrorText(t, field) : errorText(t, failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={pickingJob ? t('pipeline.applyTitle') : t('pipeline.add')} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack gap="sm">
          <Select
            label={pickingJob ? t('pipeline.pickJob') : t('pipeline.pickCandidate')}
            data={options}
            value={picked}
            onChange={setPicked}
            searchable
            searchValue={search}
            onSearchChange={setSearch}
            filter={({ options: o }) => o}
            nothingFoundMessage={t('pipeline.nothingFound')}
            error={error}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" leftSection={<IconPlus size={14} />} disabled={!picked} loading={saving}>
              {t('pipeline.applyConfirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

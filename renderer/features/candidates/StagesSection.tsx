import { ActionIcon, Badge, Button, Card, Group, Loader, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowDown, IconArrowUp, IconCheck, IconPlus } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { Stage } from '../../../contract/pipeline';
import { useT } from '../../i18n';
import { ApiFailure, api, fieldErrors, must, notifyError } from '../../lib/api';
import { stageColors, stageLabel, useStages } from './store';

/**
 * The pipeline's stages, an editable list (Settings): the stages on the way to a hire can be added, renamed,
 * reordered and retired; Placed, Rejected and Withdrawn can be renamed, never retired.
 */
export function StagesSection() {
  const t = useT();
  const stages = useStages((s) => s.stages);
  const loaded = useStages((s) => s.loaded);
  const load = useStages((s) => s.load);
  const [adding, setAdding] = useState('');
  const [addError, setAddError] = useState<string | undefined>();
  useEffect(() => {
    void load().catch((error: unknown) => notifyError(t, error));
  }, [load, t]);

  const way = stages.filter((s) => s.kind === 'active');
  const saved = async (work: Promise<unknown>) => {
    try {
      await work;
      notifications.show({ color: 'teal', message: t('stages.saved') });
    } catch (error) {
      notifyError(t, error);
    } finally {
      await load().catch(() => undefined);
    }
  };
  const move = (stage: Stage, delta: number) => {
    const ids = way.map((s) => s.id);
    const from = ids.indexOf(stage.id);
    const to = from + delta;
    if (to < 0 || to >= ids.length) return;
    [ids[from], ids[to]] = [ids[to]!, ids[from]!];
    void saved(must(api().stages.reorder({ ids })));
  };
  const add = async () => {
    try {
      await must(api().stages.create({ name: adding }));
      setAdding('');
      setAddError(undefined);
      notifications.show({ color: 'teal', message: t('stages.saved') });
      await load();
    } catch (error) {
      if (error instanceof ApiFailure && error.error.code === 'VALIDATION') setAddError(fieldErrors(t, error.error.fields).name);
      else notifyError(t, error);
    }
  };

  return (
    <Card withBorder padding="lg" component="section" aria-label={t('stages.title')}>
      <Title order={2} size="h4" mb="xs">
        {t('stages.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('stages.help')}
      </Text>
      {!loaded ? (
        <Loader size="sm" />
      ) : (
        <Stack gap="xs">
          {stages.map((stage) => (
            <StageRow
              key={`${stage.id}:${stage.name}:${stage.active}`}
              stage={stage}
              first={way[0]?.id === stage.id}
              last={way.at(-1)?.id === stage.id}
              onRename={(name) => void saved(must(api().stages.update({ id: stage.id, name, active: stage.active })))}
              onToggle={() => void saved(must(api().stages.update({ id: stage.id, name: stage.name, active: !stage.active })))}
              onMove={(delta) => move(stage, delta)}
            />
          ))}
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (adding.trim()) void add();
            }}
          >
            <Group gap="xs" align="flex-start" mt="xs">
              <TextInput aria-label={t('stages.newName')} placeholder={t('stages.newName')} value={adding} onChange={(e) => setAdding(e.currentTarget.value)} error={addError} w={260} />
              <Button type="submit" variant="light" leftSection={<IconPlus size={14} />} disabled={!adding.trim()}>
                {t('stages.add')}
              </Button>
            </Group>
          </form>
        </Stack>
      )}
    </Card>
  );
}

function StageRow({ stage, first, last, onRename, onToggle, onMove }: { stage: Stage; first: boolean; last: boolean; onRename: (name: string) => void; onToggle: () => void; onMove: (delta: number) => void }) {
  const t = useT();
  const label = stageLabel(t, stage);
  const [name, setName] = useState(label);
  const way = stage.kind === 'active';
  return (
    <Group gap="xs" wrap="nowrap">
      <Badge variant="dot" color={stageColors[stage.kind]} w={110} tt="none">
        {t(`stages.kind.${stage.kind}`)}
      </Badge>
      <TextInput aria-label={t('stages.name', { name: label })} value={name} onChange={(e) => setName(e.currentTarget.value)} w={260} disabled={!stage.active} />
      <ActionIcon variant="light" aria-label={t('stages.rename', { name: label })} disabled={!name.trim() || name === label} onClick={() => onRename(name.trim())}>
        <IconCheck size={16} />
      </ActionIcon>
      {way && (
        <>
          <ActionIcon variant="subtle" color="gray" aria-label={t('stages.up', { name: label })} disabled={first || !stage.active} onClick={() => onMove(-1)}>
            <IconArrowUp size={16} />
          </ActionIcon>
          <ActionIcon variant="subtle" color="gray" aria-label={t('stages.down', { name: label })} disabled={last || !stage.active} onClick={() => onMove(1)}>
            <IconArrowDown size={16} />
          </ActionIcon>
          <Switch label={t('stages.active')} checked={stage.active} onChange={onToggle} />
        </>
      )}
    </Group>
  );
}

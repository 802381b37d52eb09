import { Alert, Code, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAppWindow, IconDatabaseOff, IconFileAlert, IconInfoCircle } from '@tabler/icons-react';
import type { Output } from '../../contract';
import type { StartupProblem } from '../../contract/app';
import { useT, type MessageKey } from '../i18n';

const icons: Record<StartupProblem, typeof IconDatabaseOff> = {
  newer_database: IconDatabaseOff,
  foreign_database: IconFileAlert,
  already_running: IconAppWindow,
};

/** Instead of the app, when it did not open its data: what happened, to which file, and what to do. */
export function StartupRefusal({ info }: { info: Output<'app.info'> }) {
  const t = useT();
  const problem = info.startup!.problem;
  const Icon = icons[problem];
  const text = (part: 'title' | 'body' | 'action') => t(`startup.${problem}.${part}` as MessageKey);
  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', padding: 'var(--mantine-spacing-xl)' }}>
      <Paper withBorder shadow="sm" radius="md" p="xl" maw={640} w="100%">
        <Stack gap="lg">
          <Group gap="md" wrap="nowrap" align="flex-start">
            <ThemeIcon size={48} radius="xl" color={problem === 'already_running' ? 'blue' : 'orange'} variant="light">
              <Icon size={26} />
            </ThemeIcon>
            <Stack gap={6}>
              <Title order={1} size="h3">
                {text('title')}
              </Title>
              <Text c="dimmed">{text('body')}</Text>
            </Stack>
          </Group>
          <Alert variant="light" color={problem === 'already_running' ? 'blue' : 'orange'} icon={<IconInfoCircle />} title={t('startup.whatToDo')}>
            {text('action')}
          </Alert>
          <Stack gap={4}>
            <Text size="sm" c="dimmed">
              {t(problem === 'already_running' ? 'startup.folder' : 'startup.file')}
            </Text>
            <Code block style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
              {problem === 'already_running' ? info.dataDir : info.databaseFile}
            </Code>
          </Stack>
          <Text size="xs" c="dimmed">
            {t('app.name')} · {t('startup.version', { version: info.version })}
          </Text>
        </Stack>
      </Paper>
    </main>
  );
}

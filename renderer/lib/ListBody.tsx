import { Button, Center, Loader, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconFilterOff, IconPlus, IconSearchOff } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useT } from '../i18n';

/**
 * The body of a list page (the clients list, the candidates list): a loader while the first page loads, a
 * retry when it failed, `empty` when it has no rows, and the list itself once it has.
 */
export function ListBody({ status, hasRows, onRetry, empty, children }: { status: 'idle' | 'loading' | 'ready' | 'failed'; hasRows: boolean; onRetry: () => void; empty: ReactNode; children: ReactNode }) {
  const t = useT();
  if (status === 'loading' || status === 'idle') {
    return (
      <Center h="100%">
        <Stack align="center" gap="xs">
          <Loader />
          <Text c="dimmed" size="sm">
            {t('common.loading')}
          </Text>
        </Stack>
      </Center>
    );
  }
  if (status === 'failed') {
    return (
      <Center h="100%">
        <Stack align="center" gap="sm">
          <ThemeIcon size={48} radius="xl" color="red" variant="light">
            <IconAlertTriangle />
          </ThemeIcon>
          <Text>{t('error.loadFailed')}</Text>
          <Button variant="light" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        </Stack>
      </Center>
    );
  }
  return hasRows ? children : empty;
}

/**
 * A list page with no rows. With filters on: no match, a button that clears them, and `noResults.more` under
 * it; without: the list's icon, what it will hold, and the button that adds the first record.
 */
export function EmptyList({ filtered, onClearAll, noResults, empty, onNew }: {
  filtered: boolean;
  onClearAll: () => void;
  noResults: { title: string; body: string; more?: ReactNode };
  empty: { icon: ReactNode; title: string; body: string; newLabel: string };
  onNew: () => void;
}) {
  const t = useT();
  return filtered ? (
    <EmptyState icon={<IconSearchOff />} title={noResults.title} body={noResults.body}>
      <Button variant="light" leftSection={<IconFilterOff size={16} />} onClick={onClearAll}>
        {t('filters.clearAll')}
      </Button>
      {noResults.more}
    </EmptyState>
  ) : (
    <EmptyState icon={empty.icon} title={empty.title} body={empty.body}>
      <Button leftSection={<IconPlus size={18} />} onClick={onNew}>
        {empty.newLabel}
      </Button>
    </EmptyState>
  );
}

function EmptyState({ icon, title, body, children }: { icon: ReactNode; title: string; body: string; children?: ReactNode }) {
  return (
    <Center h="100%" p="xl">
      <Stack align="center" gap="sm" maw={420} ta="center">
        <ThemeIcon size={64} radius="xl" variant="light">
          {icon}
        </ThemeIcon>
        <Title order={2} size="h3">
          {title}
        </Title>
        <Text c="dimmed">{body}</Text>
        {children}
      </Stack>
    </Center>
  );
}

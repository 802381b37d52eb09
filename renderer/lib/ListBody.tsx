import { Button, Center, Loader, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
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

/** A list with no rows: what it would show, why it shows nothing, and what to do (`children`: the actions). */
export function EmptyState({ icon, title, body, children }: { icon: ReactNode; title: string; body: string; children?: ReactNode }) {
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

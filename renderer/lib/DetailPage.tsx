import { Anchor, Box, Breadcrumbs, Button, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useT } from '../i18n';
import { errorText } from './api';

// The shell of a record's page (a client, a candidate): its data loaded by id with the failure and loading
// states, and the header with the breadcrumb back to the list, the name, badges, a line under it and the actions.

/** Loads a record's page data; `reload` fetches it again, keeping what is shown until it arrives. */
export function useDetail<T>(fetch: () => Promise<T>) {
  const [data, setData] = useState<T | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const reload = useCallback(async () => {
    try {
      setData(await fetch());
      setFailure(null);
    } catch (error) {
      setFailure(error);
    }
  }, [fetch]);
  useEffect(() => {
    setData(null);
    void reload();
  }, [reload]);
  return { data, failure, reload };
}

/** What a record's page shows before its data: why it could not be loaded (with the way back to the list), or a loader. */
export function DetailPending({ failure, listPath, backLabel }: { failure: unknown; listPath: string; backLabel: string }) {
  const t = useT();
  const navigate = useNavigate();
  if (failure) {
    return (
      <Center h="100vh">
        <Stack align="center" maw={420} ta="center">
          <Title order={2} size="h3">
            {errorText(t, failure)}
          </Title>
          <Button variant="light" onClick={() => void navigate(listPath)}>
            {backLabel}
          </Button>
        </Stack>
      </Center>
    );
  }
  return (
    <Center h="100vh">
      <Loader />
    </Center>
  );
}

/** The header of a record's page; `children` (a notice, tabs) goes under the title, against the header's border. */
export function DetailHeader({
  listPath,
  listTitle,
  code,
  title,
  badges,
  subtitle,
  actions,
  children,
}: {
  listPath: string;
  listTitle: string;
  code: string;
  title: string;
  badges?: ReactNode;
  subtitle: ReactNode;
  actions: ReactNode;
  children?: ReactNode;
}) {
  return (
    <Box px="xl" pt="lg" pb={children ? undefined : 'md'} style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
      <Breadcrumbs mb="xs">
        <Anchor href={`#${listPath}`} size="sm">
          {listTitle}
        </Anchor>
        <Text size="sm" c="dimmed">
          {code}
        </Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start" mb={children ? 'md' : undefined}>
        <div>
          <Group gap="sm">
            <Title order={1} size="h2">
              {title}
            </Title>
            {badges}
          </Group>
          {subtitle}
        </div>
        <Group gap="xs">{actions}</Group>
      </Group>
      {children}
    </Box>
  );
}

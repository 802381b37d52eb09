import { Badge, Center, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { IconBriefcase } from '@tabler/icons-react';
import { useT, type MessageKey } from '../../i18n';

/** Pages whose feature is not built yet say plainly what will come, inside the final shell. */
export function ComingPage({ title, body, icon: Icon }: { title: MessageKey; body: MessageKey; icon: typeof IconBriefcase }) {
  const t = useT();
  return (
    <Center mih="100vh" p="xl">
      <Stack align="center" gap="sm" maw={460} ta="center">
        <ThemeIcon size={64} radius="xl" variant="light">
          <Icon size={32} stroke={1.5} />
        </ThemeIcon>
        <Title order={2}>{t(title)}</Title>
        <Badge variant="light" color="gray">
          {t('coming.title')}
        </Badge>
        <Text c="dimmed">{t(body)}</Text>
      </Stack>
    </Center>
  );
}

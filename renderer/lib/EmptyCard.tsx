import { Card, Center, Stack, Text, ThemeIcon } from '@mantine/core';

/** The designed empty state inside a tab: an icon, what is missing, and what to do about it. */
export function EmptyCard({ icon, title, body }: { icon: React.ReactNode; title: string; body?: string }) {
  return (
    <Card withBorder padding="xl">
      <Center>
        <Stack align="center" gap="xs" ta="center" maw={420}>
          <ThemeIcon size={48} radius="xl" variant="light">
            {icon}
          </ThemeIcon>
          <Text fw={600}>{title}</Text>
          {body && (
            <Text c="dimmed" size="sm">
              {body}
            </Text>
          )}
        </Stack>
      </Center>
    </Card>
  );
}

import { AppShell, Button, Center, Group, Loader, NavLink, ScrollArea, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAddressBook, IconAlertTriangle, IconBriefcase, IconChartBar, IconSettings, IconTargetArrow, IconUsersGroup } from '@tabler/icons-react';
import { useEffect } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { ClientDetailPage } from '../features/clients/ClientDetailPage';
import { ClientsPage } from '../features/clients/ClientsPage';
import { DashboardPage } from '../features/dashboard/DashboardPage';
import { JobsPage } from '../features/jobs/JobsPage';
import { LeadsPage } from '../features/leads/LeadsPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { SavedViewsNav } from '../features/views/SavedViewsNav';
import { useT, type MessageKey } from '../i18n';
import { useAppStore } from './store';

const navItems: { path: string; label: MessageKey; icon: typeof IconAddressBook }[] = [
  { path: '/clients', label: 'nav.clients', icon: IconAddressBook },
  { path: '/jobs', label: 'nav.jobs', icon: IconBriefcase },
  { path: '/leads', label: 'nav.leads', icon: IconTargetArrow },
  { path: '/dashboard', label: 'nav.dashboard', icon: IconChartBar },
  { path: '/settings', label: 'nav.settings', icon: IconSettings },
];

export function AppLayout() {
  const t = useT();
  const status = useAppStore((s) => s.status);
  const load = useAppStore((s) => s.load);
  const location = useLocation();
  const navigate = useNavigate();

  useEffect(() => {
    void load();
  }, [load]);

  if (status === 'loading') {
    return (
      <Center h="100vh">
        <Stack align="center" gap="sm">
          <Loader />
          <Text c="dimmed">{t('common.loading')}</Text>
        </Stack>
      </Center>
    );
  }
  if (status === 'failed') {
    return (
      <Center h="100vh">
        <Stack align="center" gap="sm" maw={420} ta="center">
          <ThemeIcon size={48} radius="xl" color="red" variant="light">
            <IconAlertTriangle />
          </ThemeIcon>
          <Title order={3}>{t('error.loadFailed')}</Title>
          <Text c="dimmed">{t('error.INTERNAL')}</Text>
          <Button onClick={() => void load()}>{t('common.retry')}</Button>
        </Stack>
      </Center>
    );
  }

  return (
    <AppShell navbar={{ width: 232, breakpoint: 0 }} padding={0}>
      <AppShell.Navbar p="sm" aria-label={t('nav.main')}>
        <Group gap="xs" px="xs" py="md" wrap="nowrap">
          <ThemeIcon size={34} radius="md" variant="gradient" gradient={{ from: 'indigo', to: 'cyan', deg: 135 }}>
            <IconUsersGroup size={20} />
          </ThemeIcon>
          <div>
            <Text fw={700} lh={1.2}>
              {t('app.name')}
            </Text>
            <Text size="xs" c="dimmed" lh={1.2}>
              {t('app.tagline')}
            </Text>
          </div>
        </Group>
        <AppShell.Section grow component={ScrollArea} mt="sm">
          <nav aria-label={t('nav.main')}>
            {navItems.map((item) => {
              const active = location.pathname === item.path || location.pathname.startsWith(`${item.path}/`);
              return (
                <NavLink
                  key={item.path}
                  href={`#${item.path}`}
                  label={t(item.label)}
                  leftSection={<item.icon size={18} stroke={1.6} />}
                  active={active}
                  aria-current={active ? 'page' : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    void navigate(item.path);
                  }}
                  style={{ borderRadius: 'var(--mantine-radius-md)' }}
                  mb={2}
                />
              );
            })}
            <SavedViewsNav />
          </nav>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <Routes>
          <Route path="/" element={<Navigate to="/clients" replace />} />
          <Route path="/clients" element={<ClientsPage />} />
          <Route path="/clients/:id/:tab?" element={<ClientDetailPage />} />
          <Route path="/jobs" element={<JobsPage />} />
          <Route path="/leads" element={<LeadsPage />} />
          <Route path="/dashboard" element={<DashboardPage />} />
          <Route path="/settings" element={<SettingsPage />} />
          <Route path="*" element={<Navigate to="/clients" replace />} />
        </Routes>
      </AppShell.Main>
    </AppShell>
  );
}

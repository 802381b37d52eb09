import { AppShell, Button, Center, Group, Loader, NavLink, ScrollArea, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAddressBook, IconAlertTriangle, IconBriefcase, IconChartBar, IconCopy, IconSettings, IconTargetArrow, IconUserSearch, IconUsersGroup } from '@tabler/icons-react';
import { lazy, Suspense, useEffect, useLayoutEffect } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { ClientsPage } from '../features/clients/ClientsPage';
import { SyncStatusBar } from '../features/sync/SyncStatusBar';
import { useBackupNotices } from '../features/settings/backupNotices';
import { SavedViewsNav } from '../features/views/SavedViewsNav';
import { useT, type MessageKey } from '../i18n';
import { benchFloor } from './benchFloor';
import { StartupRefusal } from './StartupRefusal';
import { useAppStore } from './store';

// The clients list is the start page and comes in the main bundle; the other pages are separate chunks, so the
// list shows without first parsing the charts library and the other screens. They are fetched once the
// window is idle after start-up, so opening a client or a page later does not wait for them either.
const pages = {
  clientDetail: () => import('../features/clients/ClientDetailPage').then((m) => ({ default: m.ClientDetailPage })),
  candidates: () => import('../features/candidates/CandidatesPage').then((m) => ({ default: m.CandidatesPage })),
  candidate: () => import('../features/candidates/CandidatePage').then((m) => ({ default: m.CandidatePage })),
  duplicates: () => import('../features/duplicates/DuplicatesPage').then((m) => ({ default: m.DuplicatesPage })),
  dashboard: () => import('../features/dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })),
  jobs: () => import('../features/jobs/JobsPage').then((m) => ({ default: m.JobsPage })),
  leads: () => import('../features/leads/LeadsPage').then((m) => ({ default: m.LeadsPage })),
  settings: () => import('../features/settings/SettingsPage').then((m) => ({ default: m.SettingsPage })),
};
const ClientDetailPage = lazy(pages.clientDetail);
const DashboardPage = lazy(pages.dashboard);
const DuplicatesPage = lazy(pages.duplicates);
const CandidatesPage = lazy(pages.candidates);
const CandidatePage = lazy(pages.candidate);
const JobsPage = lazy(pages.jobs);
const LeadsPage = lazy(pages.leads);
const SettingsPage = lazy(pages.settings);

function preloadPages() {
  const idle = window.requestIdleCallback ?? ((callback: () => void) => window.setTimeout(callback, 200));
  idle(() => Object.values(pages).forEach((load) => void load()));
}

const navItems: { path: string; label: MessageKey; icon: typeof IconAddressBook }[] = [
  { path: '/clients', label: 'nav.clients', icon: IconAddressBook },
  { path: '/jobs', label: 'nav.jobs', icon: IconBriefcase },
  { path: '/candidates', label: 'nav.candidates', icon: IconUserSearch },
  { path: '/leads', label: 'nav.leads', icon: IconTargetArrow },
  { path: '/duplicates', label: 'nav.duplicates', icon: IconCopy },
  { path: '/dashboard', label: 'nav.dashboard', icon: IconChartBar },
  { path: '/settings', label: 'nav.settings', icon: IconSettings },
];

export function AppLayout() {
  const t = useT();
  const status = useAppStore((s) => s.status);
  const info = useAppStore((s) => s.info);
  const load = useAppStore((s) => s.load);
  const location = useLocation();
  const navigate = useNavigate();

  useEffect(() => {
    if (status === 'ready') preloadPages();
  }, [status]);
  // The first paint the server put into the page (renderer/firstPaint.tsx) goes in the commit that shows the
  // app's own page: before the browser paints it, so no frame shows neither or both.
  useLayoutEffect(() => {
    if (status !== 'loading') document.getElementById('first-paint')?.remove();
  }, [status]);
  useBackupNotices(status === 'ready');

  if (status === 'loading') return <PageLoader height="100vh" />;
  if (status === 'refused' && info) return <StartupRefusal info={info} />;
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
        <AppShell.Section>
          <SyncStatusBar />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<PageLoader height="60vh" />}>
          <Routes>
            <Route path="/" element={<Navigate to="/clients" replace />} />
            <Route path="/clients" element={benchFloor ? <div data-bench-floor="" style={{ height: '100vh' }} /> : <ClientsPage />} />
            <Route path="/clients/:id/:tab?" element={<ClientDetailPage />} />
            <Route path="/jobs" element={<JobsPage />} />
            <Route path="/candidates" element={<CandidatesPage />} />
            <Route path="/candidates/:id" element={<CandidatePage />} />
            <Route path="/leads" element={<LeadsPage />} />
            <Route path="/duplicates" element={<DuplicatesPage />} />
            <Route path="/dashboard" element={<DashboardPage />} />
            <Route path="/settings" element={<SettingsPage />} />
            <Route path="*" element={<Navigate to="/clients" replace />} />
          </Routes>
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}

function PageLoader({ height }: { height: string }) {
  const t = useT();
  return (
    <Center h={height}>
      <Stack align="center" gap="sm">
        <Loader />
        <Text c="dimmed">{t('common.loading')}</Text>
      </Stack>
    </Center>
  );
}

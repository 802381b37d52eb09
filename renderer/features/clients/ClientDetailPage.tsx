import { Alert, Badge, Box, Button, Menu, Stack, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAddressBook, IconArchive, IconArrowBackUp, IconBriefcase, IconCalendarEvent, IconChevronDown, IconFileZip, IconGitMerge, IconPencil, IconUser } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import type { Output } from '../../../contract';
import { useT } from '../../i18n';
import { ApiFailure, api, must, notifyError } from '../../lib/api';
import { DetailHeader, DetailPending, useDetail } from '../../lib/DetailPage';
import { ConfirmModal } from '../../lib/ConfirmModal';
import { EventsTab } from '../events/EventsTab';
import { JobsTab } from '../jobs/JobsTab';
import { ClientMergeModal } from '../duplicates/ClientMergeModal';
import { DossierModal } from '../transfer/DossierModal';
import { ClientFormModal } from './ClientFormModal';
import { statusColors } from './ClientList';
import { ContactsTab } from './ContactsTab';
import { ProfileTab } from './ProfileTab';
import { useClientList } from './store';

type Detail = Output<'clients.get'>;
const tabs = ['profile', 'contacts', 'events', 'jobs'] as const;
type Tab = (typeof tabs)[number];

export function ClientDetailPage() {
  const t = useT();
  const navigate = useNavigate();
  const { id = '', tab: tabParam } = useParams();
  const tab: Tab = tabs.includes(tabParam as Tab) ? (tabParam as Tab) : 'profile';
  const [editing, setEditing] = useState(false);
  const [merging, setMerging] = useState<[string, string] | null>(null);
  const [confirmArchive, setConfirmArchive] = useState(false);
  const [exportingDossier, setExportingDossier] = useState(false);
  const [historyVersion, setHistoryVersion] = useState(0);
  const reloadList = useClientList((s) => s.reload);

  const location = useLocation();
  const mergedFrom = (location.state as { mergedFrom?: { code: string; name: string } } | null)?.mergedFrom ?? null;

  const fetchDetail = useCallback((): Promise<Detail> => must(api().clients.get({ id })), [id]);
  const { data: loaded, failure, reload } = useDetail(fetchDetail);
  // A merged-away client is a tombstone: its code and links lead to the client it was merged into.
  const detail = loaded?.mergedInto ? null : loaded;
  useEffect(() => {
    if (!loaded?.mergedInto) return;
    const { client } = loaded;
    void navigate(`/clients/${loaded.mergedInto.id}`, { replace: true, state: { mergedFrom: { code: client.code, name: client.companyName } } });
  }, [loaded, navigate]);

  const refresh = () => {
    void reload();
    setHistoryVersion((v) => v + 1);
    void reloadList();
  };

  if (!detail) return <DetailPending failure={failure} listPath="/clients" backLabel={t('detail.backToList')} />;
  const { client, counts } = detail;
  const archived = client.archivedAt !== null;

  const setArchived = async (archive: boolean) => {
    try {
      await must(archive ? api().clients.archive({ id: client.id, version: client.version }) : api().clients.restore({ id: client.id, version: client.version }));
      notifications.show({ color: 'teal', message: t(archive ? 'detail.archived' : 'detail.restored', { name: client.companyName }) });
      setConfirmArchive(false);
      refresh();
    } catch (error) {
      setConfirmArchive(false);
      if (error instanceof ApiFailure && error.error.code === 'DUPLICATE') {
        notifications.show({ color: 'red', title: t('detail.restoreBlocked'), message: (error.error.matches ?? []).map((m) => `${m.code} ${m.companyName}`).join(', ') });
      } else {
        // Changed meanwhile (another window, a sync): say so and show the client as it is now; the user decides again.
        notifyError(t, error);
        if (error instanceof ApiFailure && (error.error.code === 'CONFLICT' || error.error.code === 'NOT_FOUND')) refresh();
      }
    }
  };

  return (
    <Stack gap={0} mih="100vh">
      <DetailHeader
        listPath="/clients"
        listTitle={t('clients.title')}
        code={client.code}
        title={client.companyName}
        badges={
          <>
            <Badge variant="light" color={statusColors[client.status]}>
              {t(`status.${client.status}`)}
            </Badge>
            {archived && (
              <Badge variant="filled" color="gray">
                {t('detail.archivedBadge')}
              </Badge>
            )}
          </>
        }
        subtitle={
          <Text c="dimmed" size="sm" ff="monospace">
            {client.code}
          </Text>
        }
        actions={
          <>
            <Button leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)} disabled={archived}>
              {t('detail.edit')}
            </Button>
            <Menu position="bottom-end">
              <Menu.Target>
                <Button variant="default" rightSection={<IconChevronDown size={16} />}>
                  {t('detail.more')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item leftSection={<IconFileZip size={16} />} onClick={() => setExportingDossier(true)}>
                  {t('transfer.menu.dossier')}
                </Menu.Item>
                <Menu.Divider />
                {archived ? (
                  <Menu.Item leftSection={<IconArrowBackUp size={16} />} onClick={() => void setArchived(false)}>
                    {t('detail.restore')}
                  </Menu.Item>
                ) : (
                  <Menu.Item color="red" leftSection={<IconArchive size={16} />} onClick={() => setConfirmArchive(true)}>
                    {t('detail.archive')}
                  </Menu.Item>
                )}
              </Menu.Dropdown>
            </Menu>
          </>
        }
      >
        {archived && (
          <Alert color="gray" mb="md" icon={<IconArchive size={18} />}>
            {t('detail.archivedNotice')}
          </Alert>
        )}
        {mergedFrom && (
          <Alert color="blue" mb="md" icon={<IconGitMerge size={18} />}>
            {t('merge.mergedFrom', { code: mergedFrom.code, name: mergedFrom.name })}
          </Alert>
        )}
        <Tabs value={tab} onChange={(value) => void navigate(`/clients/${client.id}/${value}`)} keepMounted={false}>
          <Tabs.List style={{ borderBottom: 0 }}>
            <Tabs.Tab value="profile" leftSection={<IconUser size={16} />}>
              {t('detail.tab.profile')}
            </Tabs.Tab>
            <Tabs.Tab value="contacts" leftSection={<IconAddressBook size={16} />} rightSection={<CountBadge n={counts.contacts} />}>
              {t('detail.tab.contacts')}
            </Tabs.Tab>
            <Tabs.Tab value="events" leftSection={<IconCalendarEvent size={16} />} rightSection={<CountBadge n={counts.events} />}>
              {t('detail.tab.events')}
            </Tabs.Tab>
            <Tabs.Tab value="jobs" leftSection={<IconBriefcase size={16} />} rightSection={<CountBadge n={counts.jobs} />}>
              {t('detail.tab.jobs')}
            </Tabs.Tab>
          </Tabs.List>
        </Tabs>
      </DetailHeader>

      <Box p="xl" style={{ flex: 1 }}>
        {tab === 'profile' && <ProfileTab client={client} counts={counts} satisfaction={detail.satisfaction} historyVersion={historyVersion} />}
        {tab === 'contacts' && <ContactsTab clientId={client.id} readOnly={archived} onChanged={refresh} />}
        {tab === 'events' && <EventsTab clientId={client.id} readOnly={archived} onChanged={refresh} />}
        {tab === 'jobs' && (
          <JobsTab
            clientId={client.id}
            defaults={{ feePercent: client.defaultFeePercent, guaranteeDays: client.defaultGuaranteeDays, paymentTermsDays: client.defaultPaymentTermsDays }}
            readOnly={archived}
            onChanged={refresh}
          />
        )}
      </Box>

      <ClientFormModal
        opened={editing}
        client={client}
        onClose={() => setEditing(false)}
        onSaved={refresh}
        onOpenClient={(otherId) => void navigate(`/clients/${otherId}`)}
        onMerge={setMerging}
      />
      {merging && (
        <ClientMergeModal
          ids={merging}
          onClose={() => setMerging(null)}
          onDone={(outcome) => {
            setMerging(null);
            if (outcome && outcome.survivorId !== client.id) void navigate(`/clients/${outcome.survivorId}`);
            else refresh();
          }}
        />
      )}
      <DossierModal opened={exportingDossier} client={client} onClose={() => setExportingDossier(false)} />
      <ConfirmModal
        opened={confirmArchive}
        title={t('detail.archiveConfirm.title', { name: client.companyName })}
        body={t('detail.archiveConfirm.body')}
        confirmLabel={t('detail.archive')}
        onConfirm={() => void setArchived(true)}
        onClose={() => setConfirmArchive(false)}
      />
    </Stack>
  );
}

function CountBadge({ n }: { n: number }) {
  return (
    <Badge size="xs" variant="light" color="gray" circle={n < 10}>
      {n}
    </Badge>
  );
}

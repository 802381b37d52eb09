import { ActionIcon, Card, Code, CopyButton, Group, NumberInput, Select, Stack, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useMemo } from 'react';
import { languages, type Language, type Settings } from '../../../contract/settings';
import { useAppStore } from '../../app/store';
import { useFormat, useT } from '../../i18n';
import { notifyError } from '../../lib/api';
import { SyncSection } from '../sync/SyncSection';
import { BackupsSection } from './BackupsSection';
import { TeamSection } from './TeamSection';
import { StagesSection } from '../candidates/StagesSection';

// Countries recruiters here work with most; any ISO code can still be stored.
const countries = ['ES', 'PT', 'FR', 'DE', 'IT', 'GB', 'IE', 'NL', 'BE', 'CH', 'AT', 'PL', 'SE', 'DK', 'NO', 'FI', 'US', 'CA', 'MX', 'AR', 'CL', 'CO', 'PE', 'UY', 'BR', 'EC', 'VE', 'DO', 'CR', 'PA'];

export function SettingsPage() {
  const t = useT();
  const { locale } = useFormat();
  const settings = useAppStore((s) => s.settings);
  const info = useAppStore((s) => s.info);
  const users = useAppStore((s) => s.users);
  const updateSettings = useAppStore((s) => s.updateSettings);

  const countryNames = useMemo(() => new Intl.DisplayNames([locale], { type: 'region' }), [locale]);
  const countryOptions = useMemo(
    () => countries.map((code) => ({ value: code, label: `${countryNames.of(code) ?? code} (${code})` })).sort((a, b) => a.label.localeCompare(b.label, locale)),
    [countryNames, locale],
  );

  if (!settings || !info) return null;

  const save = async (patch: Partial<Settings>) => {
    try {
      await updateSettings(patch);
      notifications.show({ color: 'teal', message: t('settings.saved'), autoClose: 2000 });
    } catch (error) {
      notifyError(t, error);
    }
  };

  return (
    <Stack p="xl" gap="lg" maw={760}>
      <Title order={1} size="h2">
        {t('settings.title')}
      </Title>

      <Card withBorder padding="lg">
        <Title order={2} size="h4" mb="md">
          {t('settings.preferences')}
        </Title>
        <Stack gap="md">
          <Select
            label={t('settings.language')}
            description={t('settings.languageHelp')}
            data={languages.map((l) => ({ value: l, label: t(`language.${l}`) }))}
            value={settings.language}
            allowDeselect={false}
            onChange={(value) => value && void save({ language: value as Language })}
            maw={360}
          />
          <Select
            label={t('settings.currentUser')}
            description={t('settings.currentUserHelp')}
            data={users.filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }))}
            value={settings.currentUserId}
            allowDeselect={false}
            searchable
            onChange={(value) => value && void save({ currentUserId: value })}
            maw={360}
          />
          <Select
            label={t('settings.defaultCountry')}
            description={t('settings.defaultCountryHelp')}
            data={countryOptions}
            value={settings.defaultCountry}
            allowDeselect={false}
            searchable
            onChange={(value) => value && void save({ defaultCountry: value })}
            maw={360}
          />
          <NumberInput
            label={t('settings.attachmentLimit')}
            description={t('settings.attachmentLimitHelp')}
            min={1}
            max={1024}
            allowDecimal={false}
            suffix=" MB"
            defaultValue={settings.attachmentLimitMb}
            onBlur={(event) => {
              const value = Number.parseInt(event.currentTarget.value, 10);
              if (Number.isInteger(value) && value >= 1 && value <= 1024 && value !== settings.attachmentLimitMb) void save({ attachmentLimitMb: value });
            }}
            maw={360}
          />
        </Stack>
      </Card>

      <SyncSection />

      <TeamSection />
      <StagesSection />

      <BackupsSection />

      <Card withBorder padding="lg">
        <Title order={2} size="h4" mb="md">
          {t('settings.about')}
        </Title>
        <Stack gap="sm">
          <PathRow label={t('settings.dataFolder')} value={info.dataDir} />
          <PathRow label={t('settings.databaseFile')} value={info.databaseFile} />
          <Group gap="xl">
            <div>
              <Text size="sm" c="dimmed">
                {t('settings.version')}
              </Text>
              <Text>{info.version}</Text>
            </div>
            <div>
              <Text size="sm" c="dimmed">
                {t('settings.runningIn')}
              </Text>
              <Text>{t(info.shell === 'electron' ? 'settings.shell.electron' : 'settings.shell.browser')}</Text>
            </div>
          </Group>
        </Stack>
      </Card>
    </Stack>
  );
}

function PathRow({ label, value }: { label: string; value: string }) {
  const t = useT();
  return (
    <div>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap">
        <Code style={{ overflowWrap: 'anywhere' }}>{value}</Code>
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t('settings.copied') : t('settings.copy')}>
              <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={`${t('settings.copy')} ${label}`}>
                {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </div>
  );
}

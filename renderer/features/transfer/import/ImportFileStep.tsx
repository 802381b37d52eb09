import { Alert, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ImportTarget } from '../../../../contract/transfer';
import { useT } from '../../../i18n';
import { FilePicker } from '../FilePicker';
import type { ImportWizard } from './useImportWizard';

/** Step 1: what the file holds (clients, contacts or candidates) and the file itself. */
export function ImportFileStep({ wizard }: { wizard: ImportWizard }) {
  const t = useT();
  const { target, setTarget, onPicked, fileError } = wizard;
  return (
    <Stack gap="md">
      <div>
        <Text size="sm" fw={500} mb={4}>
          {t('import.target')}
        </Text>
        <SegmentedControl
          value={target}
          onChange={(v) => setTarget(v as ImportTarget)}
          data={[
            { value: 'clients', label: t('import.target.clients') },
            { value: 'contacts', label: t('import.target.contacts') },
            { value: 'candidates', label: t('import.target.candidates') },
          ]}
        />
        <Text size="xs" c="dimmed" mt={4}>
          {t(`import.targetHint.${target}`)}
        </Text>
      </div>
      <FilePicker filter="table" accept=".csv,.tsv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" hint={t('import.formats')} onPicked={onPicked} />
      {fileError && (
        <Alert color="red" icon={<IconAlertTriangle />} title={t('import.fileError')}>
          {fileError}
        </Alert>
      )}
    </Stack>
  );
}

import { Modal, Stepper } from '@mantine/core';
import type { ImportTarget } from '../../../contract/transfer';
import { useT } from '../../i18n';
import { ImportCheckStep } from './import/ImportCheckStep';
import { ImportColumnsStep } from './import/ImportColumnsStep';
import { ImportFileStep } from './import/ImportFileStep';
import { ImportResultStep } from './import/ImportResultStep';
import { importSteps, useImportWizard } from './import/useImportWizard';

/**
 * The import wizard: a file, its columns mapped to fields (guessed from the headers), the first rows checked
 * exactly as they would be imported with the chosen duplicate handling, an optional dry run over every row,
 * then the import with progress and a report of the rows that were not imported. Its state lives in
 * useImportWizard; each step is a component of its own (./import/).
 */
export function ImportModal({ opened, onClose, onImported, initialTarget = 'clients' }: { opened: boolean; onClose: () => void; onImported: () => void; initialTarget?: ImportTarget }) {
  const t = useT();
  const wizard = useImportWizard({ opened, onClose, onImported, initialTarget });
  const { step, setStep, analysis, run } = wizard;
  return (
    <Modal opened={opened} onClose={wizard.close} title={t('import.title')} size="xl" centered closeOnClickOutside={false}>
      <Stepper active={step} size="sm" mb="lg" allowNextStepsSelect={false} onStepClick={(s) => run.task === null && s < step && setStep(s)}>
        <Stepper.Step label={t('import.step.file')} />
        <Stepper.Step label={t('import.step.columns')} />
        <Stepper.Step label={t('import.step.check')} />
        <Stepper.Step label={t('import.step.result')} />
      </Stepper>
      {step === importSteps.file && <ImportFileStep wizard={wizard} />}
      {step === importSteps.columns && analysis && <ImportColumnsStep wizard={wizard} analysis={analysis} />}
      {step === importSteps.check && analysis && <ImportCheckStep wizard={wizard} analysis={analysis} />}
      {step === importSteps.result && <ImportResultStep wizard={wizard} />}
    </Modal>
  );
}

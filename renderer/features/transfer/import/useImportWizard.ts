import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Output } from '../../../../contract';
import { clientStatuses, type ClientStatus } from '../../../../contract/clients';
import { importFields, requiredImportFields, type DuplicateMode, type ImportField, type ImportTarget, type StagedFile } from '../../../../contract/transfer';
import { useAppStore } from '../../../app/store';
import { translator, useT, type MessageKey } from '../../../i18n';
import { api, errorText, must } from '../../../lib/api';
import { useTask } from '../useTask';
import { reportWords } from './importText';

export type Analysis = Output<'imports.analyze'>;
export type Defaults = { areaId: string | null; status: ClientStatus; ownerId: string | null };
export type ValueMap = { area: Record<string, string>; status: Record<string, ClientStatus>; owner: Record<string, string> };
const emptyValueMap: ValueMap = { area: {}, status: {}, owner: {} };

/** The wizard's steps, in order (the Stepper's indexes). */
export const importSteps = { file: 0, columns: 1, check: 2, result: 3 } as const;

/**
 * The import wizard's state: the file and its analysis, the choices of each step, the preview of the first
 * rows, and the two tasks (a dry run, the import). Steps read and change it; the modal only lays them out.
 */
export function useImportWizard({ opened, onClose, onImported, initialTarget }: { opened: boolean; onClose: () => void; onImported: () => void; initialTarget: ImportTarget }) {
  const t = useT();
  const areas = useAppStore((s) => s.areas);
  const [step, setStep] = useState<number>(importSteps.file);
  const [target, setTarget] = useState<ImportTarget>(initialTarget);
  const [file, setFile] = useState<StagedFile | null>(null);
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [mapping, setMapping] = useState<(ImportField | null)[]>([]);
  const [defaults, setDefaults] = useState<Defaults>({ areaId: null, status: 'active', ownerId: null });
  const [mode, setMode] = useState<DuplicateMode>('skip');
  const [strict, setStrict] = useState(false);
  const [valueMap, setValueMap] = useState<ValueMap>(emptyValueMap);
  const [preview, setPreview] = useState<Output<'imports.preview'> | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const dry = useTask();
  const run = useTask();

  const resetAll = useCallback(() => {
    setStep(importSteps.file);
    setFile(null);
    setAnalysis(null);
    setMapping([]);
    setPreview(null);
    setFileError(null);
    setMode('skip');
    setStrict(false);
    setValueMap(emptyValueMap);
    dry.reset();
    run.reset();
    // dry and run are stable hooks; their reset functions never change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (opened) resetAll();
  }, [opened, resetAll]);

  // Statuses and built-in areas in every language the app speaks, so a Spanish file reads in an English UI.
  const aliases = useMemo(() => {
    const dictionaries = [translator('en'), translator('es')];
    return {
      statuses: Object.fromEntries(clientStatuses.map((s) => [s, dictionaries.map((d) => d(`status.${s}`))])),
      areas: Object.fromEntries(areas.filter((a) => a.key).map((a) => [a.id, dictionaries.map((d) => d(`area.${a.key}` as MessageKey))])),
    };
  }, [areas]);

  const options = useCallback(
    () => ({ fileId: file!.fileId, target, mapping, duplicateMode: mode, rejectUnreadable: strict, defaults, aliases, valueMap, reportText: reportWords(t, importFields[target], target) }),
    [file, target, mapping, mode, strict, defaults, aliases, valueMap, t],
  );

  const analyze = async (picked: StagedFile, kind: ImportTarget) => {
    setFileError(null);
    try {
      const result = await must(api().imports.analyze({ fileId: picked.fileId, target: kind }));
      setAnalysis(result);
      setMapping(result.mapping);
      setStep(importSteps.columns);
    } catch (error) {
      setFileError(errorText(t, error));
    }
  };

  const onPicked = (picked: StagedFile) => {
    if (file) void api().files.discard({ fileId: file.fileId });
    setFile(picked);
    void analyze(picked, target);
  };

  const loadPreview = useCallback(async () => {
    if (!file) return;
    setPreviewError(null);
    try {
      setPreview(await must(api().imports.preview({ ...options(), limit: 20 })));
    } catch (error) {
      setPreview(null);
      setPreviewError(error);
    }
  }, [file, options]);

  useEffect(() => {
    if (step === importSteps.check) void loadPreview();
  }, [step, loadPreview]);

  const start = async (dryRun: boolean) => {
    const tracker = dryRun ? dry : run;
    try {
      const { taskId } = await must(api().imports.start({ ...options(), dryRun }));
      if (!dryRun) setStep(importSteps.result);
      const finished = await tracker.follow(taskId);
      if (!dryRun && finished?.result) onImported();
    } catch (error) {
      tracker.setError(error);
    }
  };

  const close = () => {
    if (run.task?.state === 'running') void run.cancel();
    if (dry.task?.state === 'running') void dry.cancel();
    if (file) void api().files.discard({ fileId: file.fileId });
    const report = run.task?.result?.kind === 'import' ? run.task.result.report : null;
    if (report) void api().files.discard({ fileId: report.fileId });
    onClose();
  };

  return {
    step, setStep, target, setTarget, file, analysis, mapping, setMapping, defaults, setDefaults, mode, setMode, strict, setStrict, valueMap, setValueMap,
    preview, previewError, fileError, dry, run, aliases, resetAll, onPicked, start, close, ...mappingGaps(target, mapping, defaults),
  };
}

export type ImportWizard = ReturnType<typeof useImportWizard>;

/** Required fields no column gives (the area may come from the run's default instead), and fields mapped twice. */
function mappingGaps(target: ImportTarget, mapping: (ImportField | null)[], defaults: Defaults) {
  const fields = importFields[target] as readonly ImportField[];
  const required = requiredImportFields[target];
  const mapped = new Set(mapping.filter(Boolean));
  const missing = [...required.filter((f) => !mapped.has(f)), ...(target === 'clients' && !mapped.has('area') && !defaults.areaId ? (['area'] as ImportField[]) : [])];
  const twice = fields.filter((f) => mapping.filter((m) => m === f).length > 1);
  return { fields, required, missing, twice };
}

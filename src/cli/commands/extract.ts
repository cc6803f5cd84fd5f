/** `rgs extract <image> <mask>`: IBSI features of one or more ROIs, as JSON or CSV. */
import { UsageError } from '../usage-error';
import { parseCommandArgs } from '../parse-command-args';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { extractFromFiles, extractFromFilesWith } from '../../engine/pipeline/extract-files';
import { FeatureHelperThread, sharingFamiliesWith } from '../../engine/features/helper-thread';
import { workUnitsToRun } from '../../engine/features/extract';
import { estimatedWorkPerRoi, HELPER_THREAD_MIN_WORK } from '../../engine/features/split-families';
import { toCsv, toJson } from '../../engine/output/feature-table';
import { writeFileAtomic } from '../../engine/util/atomic-write';
import { applyFeatureSelection } from '../../engine/features/selection';
import { loadSettingsFile } from '../../engine/settings/load';
import { presetByName } from '../../engine/settings/presets';
import { ENGINE_VERSION } from '../../engine/version';

export const EXTRACT_HELP = `Usage: rgs extract <image> <mask> [options]

Computes IBSI features of the ROI(s) of <mask> on <image> (NIfTI-1/2, .nii or .nii.gz). The
image and mask must lie on the same voxel grid.

Options:
  --label L          the ROI: a label value (4), a union (1+4), or a name from --labels;
                     repeat for several ROIs, extracted in one pass (default: the mask's only
                     label; a mask with several labels needs --label)
  --labels FILE      a label map (JSON or YAML: {necrosis: 1, tumour_core: [1, 4]})
  --settings FILE    preprocessing and feature settings (YAML; the study file's schema)
  --preset NAME      built-in settings: default, ibsi-A, ibsi-B, ibsi-C, ibsi-D, ibsi-E
  --features LIST    comma-separated families (morph,loc,stat,ih,ivh,cm,rlm,szm,dzm,ngt,ngl),
                     IBSI identifiers (GYBY,RNU0), \`pyradiomics\` (the features PyRadiomics'
                     default set also computes) or \`all\` (default)
  --volume N         the volume of a 4D image (0-based; default 0)
  --threads N        1 or 2: share each ROI's feature families with a second thread (the
                     values are the same). Default: 2 on a machine with more than one core
                     when the estimated work pays for the thread's start-up (the whole IBSI
                     set, 2D aggregations, several ROIs), else 1
  --format F         json (default) or csv; inferred from --out's extension
  --out FILE         write there (atomically) instead of standard output
`;

export async function runExtract(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('extract', argv, {
    label: { type: 'string', multiple: true },
    labels: { type: 'string' },
    settings: { type: 'string' },
    preset: { type: 'string' },
    features: { type: 'string' },
    volume: { type: 'string' },
    threads: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
  });
  const { values, positionals } = parsed;
  if (positionals.length !== 2) {
    throw new UsageError(`extract needs an image and a mask, got ${positionals.length} argument(s) (see rgs help extract)`);
  }
  const [imagePath, maskPath] = positionals;
  if (values.settings !== undefined && values.preset !== undefined) {
    throw new UsageError('extract: give --settings or --preset, not both');
  }
  const format = values.format ?? (values.out?.toLowerCase().endsWith('.csv') ? 'csv' : 'json');
  if (format !== 'json' && format !== 'csv') throw new UsageError(`extract: --format must be json or csv, got \`${format}\``);
  let volume: number | undefined;
  if (values.volume !== undefined) {
    volume = Number(values.volume);
    if (!Number.isInteger(volume) || volume < 0) throw new UsageError(`extract: --volume must be a whole number >= 0, got \`${values.volume}\``);
  }

  let threads: number | undefined;
  if (values.threads !== undefined) {
    threads = Number(values.threads);
    if (threads !== 1 && threads !== 2) throw new UsageError(`extract: --threads must be 1 or 2, got \`${values.threads}\``);
  }

  const base = values.settings !== undefined ? loadSettingsFile(values.settings) : presetByName(values.preset ?? 'default');
  const settings = values.features !== undefined ? applyFeatureSelection(base, values.features) : base;
  // By default a helper thread only when the work is large enough to pay for it (split-families.ts).
  const roiCount = Math.max(1, values.label?.length ?? 1);
  threads ??=
    availableParallelism() >= 2 && roiCount * estimatedWorkPerRoi(settings.features, workUnitsToRun(settings.features)) >= HELPER_THREAD_MIN_WORK ? 2 : 1;
  // Started before the files are read, so that the thread's start-up overlaps the reading.
  const helper = threads > 1 ? new FeatureHelperThread(join(__dirname, 'feature-thread.js')) : null;

  const request = { imagePath, maskPath, rois: values.label ?? [], labelMapPath: values.labels, settings, volume };
  let result;
  try {
    result = helper ? await extractFromFilesWith(request, sharingFamiliesWith(helper)) : extractFromFiles(request);
  } finally {
    void helper?.close();
  }
  const meta = {
    engine: { name: 'radiogenomics-studio', version: ENGINE_VERSION },
    image: imagePath,
    mask: maskPath,
    settings_source: values.settings ?? `preset:${values.preset ?? 'default'}`,
    settings,
    // The threads that computed the features (--threads, or the default's choice).
    threads,
    ...result.meta,
  };
  const text = format === 'csv' ? toCsv(result.results) : toJson(result.results, meta);
  if (values.out !== undefined) writeFileAtomic(values.out, text);
  else process.stdout.write(text);
}

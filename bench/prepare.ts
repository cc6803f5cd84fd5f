/**
 * Benchmark inputs, generated (never downloaded): the glioma-like case of issue 4 (four 1 mm
 * 240x240x155 volumes and a BraTS mask, five ROIs) with a one-subject study over it, and the demo
 * cohort. Bundled and run by bench/run.mjs.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_DEMO_SEED, DEFAULT_DEMO_SUBJECTS, generateDemoCohort } from '../src/engine/demo/cohort';
import { writeDemoExpression } from '../src/engine/demo/expression';
import { generateCohortTable } from '../src/engine/demo/genotype';
import { generateGliomaCase } from '../src/engine/demo/cohort';
import { DEMO_STUDY_YAML, writeDemoStudy } from '../src/engine/demo/study-file';

const [what, dir] = process.argv.slice(2);
mkdirSync(dir, { recursive: true });
if (what === 'glioma') {
  if (!existsSync(join(dir, 'glioma.study.yaml'))) {
    const c = generateGliomaCase(join(dir, 'case'), { seed: 7, shape: [240, 240, 155], spacing: [1, 1, 1] });
    const rel = (p: string) => p.slice(dir.length + 1);
    writeFileSync(join(dir, 'manifest.csv'), `subject_id,t1,t1ce,t2,flair,mask\nGLIOMA-1,${rel(c.files.t1)},${rel(c.files.t1ce)},${rel(c.files.t2)},${rel(c.files.flair)},${rel(c.files.seg)}\n`);
    writeFileSync(join(dir, 'clinical.csv'), 'subject_id,idh1\nGLIOMA-1,wildtype\n');
    writeFileSync(
      join(dir, 'glioma.study.yaml'),
      `study: { id: bench-glioma, title: Benchmark glioma case, question: extraction speed }
cohort:
  manifest: manifest.csv
  sequences: { T1: { column: t1 }, T1CE: { column: t1ce }, T2: { column: t2 }, FLAIR: { column: flair } }
  labels: { necrosis: 1, oedema: 2, enhancing: 4 }
  unions: { tumour_core: [necrosis, enhancing], whole_tumour: [necrosis, oedema, enhancing] }
  clinical: [ { file: clinical.csv, subject_column: subject_id } ]
features:
  discretisation: { method: fbn, bin_count: 32 }
`,
    );
  }
} else if (what === 'demo') {
  // The extraction benchmark runs the demo study's feature sections only (bench.study.yaml); the
  // analysis has its own benchmark (bench/analysis.mjs).
  writeFileSync(join(dir, 'bench.study.yaml'), DEMO_STUDY_YAML);
  if (!existsSync(join(dir, 'demo.study.yaml'))) {
    generateDemoCohort(dir, {});
    writeDemoExpression(dir, generateCohortTable(DEFAULT_DEMO_SEED, DEFAULT_DEMO_SUBJECTS), DEFAULT_DEMO_SEED);
    writeDemoStudy(dir, DEFAULT_DEMO_SUBJECTS);
  }
} else throw new Error(`bench/prepare: unknown input ${what}`);

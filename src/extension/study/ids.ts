/**
 * The identifiers the study-file feature shares with package.json (`contributes.languages`,
 * `contributes.commands`, `activationEvents`): one place, checked against the manifest by
 * test/unit/extension-study-manifest.test.ts. No `vscode` import.
 */

/** The language of `*.study.yaml` files (package.json contributes.languages). */
export const STUDY_LANGUAGE_ID = 'radiogenomics-study';

/** `rgs run <study> --progress json` with a progress notification; args: (uri?). */
export const RUN_STUDY_COMMAND = 'radiogenomics.runStudy';
/** The loader's analysis of the open study and a summary message; args: (uri?). */
export const VALIDATE_STUDY_COMMAND = 'radiogenomics.validateStudy';
/** A quick pick of the study's subjects, then `radiogenomics.openSubject`; args: (uri?, subjectId?). */
export const OPEN_SUBJECT_FROM_STUDY_COMMAND = 'radiogenomics.openSubjectFromStudy';

/**
 * Not contributed (no palette entry): the language server's last diagnostics pass for a study,
 * `{ version, phase: 'text' | 'files' }` or undefined; args: (uri: string | Uri). For tests and for
 * other extensions that need to know when the file checks of a version are done.
 */
export const DIAGNOSTICS_STATE_COMMAND = 'radiogenomics.study.diagnosticsState';

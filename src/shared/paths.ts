import { fileURLToPath } from 'node:url';

/** Project root, found from this file whether it runs from src/ (tsx, vitest) or dist/ (node). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CONFIG_DIR = fileURLToPath(new URL('../../config/', import.meta.url));
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));
export const FLOWS_DIR = fileURLToPath(new URL('../../flows/', import.meta.url));

/**
 * One problem found in a flow file, as data.
 * @example { "file": "flows/declaration.yaml", "flowId": "declaration", "path": ["step \"ask_phone\"", "next"],
 *   "message": "unknown step \"x\"" }
 */
export interface FlowError {
  file?: string;
  flowId?: string;
  path: string[];
  message: string;
}

/** `flows/declaration.yaml: flow "declaration" › step "ask_phone" › next: unknown step "x"` */
export function formatFlowError(e: FlowError): string {
  const where = [...(e.flowId !== undefined ? [`flow "${e.flowId}"`] : []), ...e.path].join(' › ');
  const text = where ? `${where}: ${e.message}` : e.message;
  return e.file ? `${e.file}: ${text}` : text;
}

/** Zod issue path `["options", 0, "label"]` → `options[0].label`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}

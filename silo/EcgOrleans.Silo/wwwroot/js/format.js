// Numbers and names as the page prints them.

export const count = n => Number(n).toLocaleString('en');

/** "reference/V" → "reference V"; "cell/V-N" → "reference V → predicted N". */
export function mapTitle(key) {
  const [grouping, cls] = key.split('/');
  if (grouping !== 'cell') return `${grouping} ${cls}`;
  const [reference, predicted] = cls.split('-');
  return `reference ${reference} → predicted ${predicted}`;
}

/** A test id fragment of a map key: "cell/V-N" → "cell-V-N". */
export const keyId = key => key.replace('/', '-');

export const signed = (v, digits = 3) => (v > 0 ? '+' : v < 0 ? '−' : '') + Math.abs(v).toFixed(digits);

/** Creates an element with a class and text; children may follow. */
export function element(tag, className, text, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  node.append(...children);
  return node;
}

// XML for the Query protocol (IAM, STS), shaped as AWS sends it: `<OpResponse xmlns=...>` wrapping
// `<OpResult>` and `<ResponseMetadata>`, lists as `<member>` elements, errors as `<ErrorResponse>`.
// Values are written in the order the handler's object lists them, as the AWS model orders them.

export type XmlValue = string | number | boolean | null | undefined | readonly XmlValue[] | { readonly [name: string]: XmlValue };

// XML 1.0 cannot carry most control characters even as references; they never occur in valid
// IAM/STS values (the models' patterns exclude them), so they are dropped rather than escaped.
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
}

/** One element; undefined and null values produce nothing, as AWS omits absent members. */
export function xmlElement(name: string, value: XmlValue): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `<${name}>${value.map((v: XmlValue) => xmlElement('member', v)).join('')}</${name}>`;
  if (typeof value === 'object') return `<${name}>${xmlMembers(value as { readonly [name: string]: XmlValue })}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function xmlMembers(fields: { readonly [name: string]: XmlValue }): string {
  let out = '';
  for (const [name, value] of Object.entries(fields)) out += xmlElement(name, value);
  return out;
}

/** A success response; operations without output get no Result element, as AWS sends them. */
export function queryResponseXml(action: string, namespace: string, requestId: string, result: XmlValue): string {
  const body = result === undefined || result === null ? '' : xmlElement(`${action}Result`, typeof result === 'object' ? result : {});
  return (
    `<${action}Response xmlns="${namespace}">${body}` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function queryErrorXml(namespace: string, fault: 'Sender' | 'Receiver', code: string, message: string, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${fault}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}

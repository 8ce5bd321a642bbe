// The detail screen's tab as a search param: ?tab=events is the documentation's way in.
export const TABS = [
  { value: 'events', label: 'Events' },
  { value: 'content', label: 'Content' },
  { value: 'headers', label: 'Headers' },
  { value: 'raw', label: 'Raw' },
] as const;
export type DetailTab = (typeof TABS)[number]['value'];

export function validateDetailSearch(raw: Record<string, unknown>): { tab?: DetailTab } {
  return TABS.some((t) => t.value === raw.tab) ? { tab: raw.tab as DetailTab } : {};
}

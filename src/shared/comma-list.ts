// Comma-separated settings and parameters (TRACKING_KEYS, trusted networks, --roles, event_type):
// the items, trimmed, empty ones dropped.
export function commaList(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter(Boolean);
}

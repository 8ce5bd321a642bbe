// What a screen shows when its data could not be read: the API's own words, never a blank page.
export function LoadError({ what, error }: { what: string; error: Error }) {
  return (
    <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
      Could not {what}: {error.message}
    </p>
  );
}

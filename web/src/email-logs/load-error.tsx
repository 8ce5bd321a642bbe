// A read that failed, said in words where its data would have been (never a blank screen).
export function LoadError({ what, error }: { what: string; error: Error }) {
  return (
    <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
      Could not read {what}: {error.message}
    </p>
  );
}

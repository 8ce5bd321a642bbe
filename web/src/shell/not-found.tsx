// A path the app does not know: said plainly, with the way back.
import { Link } from '@tanstack/react-router';

export function NotFound() {
  return (
    <main className="mx-auto max-w-lg px-4 py-16">
      <h1 className="text-2xl font-semibold">No such page</h1>
      <p className="mt-2 text-slate-600 dark:text-slate-400">This address is not a screen of the dashboard (yet).</p>
      <p className="mt-4">
        <Link to="/" className="text-teal-700 underline dark:text-teal-400">
          Go to the Overview
        </Link>
      </p>
    </main>
  );
}

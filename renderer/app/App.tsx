import { ColorSchemeScript, MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { Notifications } from '@mantine/notifications';
import 'dayjs/locale/es';
import 'dayjs/locale/en-gb';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import { HashRouter } from 'react-router';
import { AppLayout } from './AppLayout';
import { theme } from './theme';

/** The providers around every page: the app's, and the first paint's (renderer/firstPaint.tsx). */
export function AppFrame({ children }: { children: ReactNode }) {
  const language = useI18n((s) => s.language);
  return (
    // "auto" follows the operating system's light or dark preference.
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <DatesProvider settings={{ locale: language === 'es' ? 'es' : 'en-gb', firstDayOfWeek: 1 }}>
        <Notifications position="bottom-right" />
        {children}
      </DatesProvider>
    </MantineProvider>
  );
}

export function App() {
  return (
    <>
      <ColorSchemeScript defaultColorScheme="auto" />
      <AppFrame>
        {/* Hash routing works the same from app:// in Electron and http:// in the browser shell. */}
        <HashRouter>
          <AppLayout />
        </HashRouter>
      </AppFrame>
    </>
  );
}

import { ColorSchemeScript, MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { Notifications } from '@mantine/notifications';
import 'dayjs/locale/es';
import 'dayjs/locale/en-gb';
import { useI18n } from '../i18n';
import { HashRouter } from 'react-router';
import { AppLayout } from './AppLayout';
import { theme } from './theme';

export function App() {
  const language = useI18n((s) => s.language);
  return (
    <>
      <ColorSchemeScript defaultColorScheme="auto" />
      {/* "auto" follows the operating system's light or dark preference. */}
      <MantineProvider theme={theme} defaultColorScheme="auto">
        <DatesProvider settings={{ locale: language === 'es' ? 'es' : 'en-gb', firstDayOfWeek: 1 }}>
          <Notifications position="bottom-right" />
          {/* Hash routing works the same from app:// in Electron and http:// in the browser shell. */}
          <HashRouter>
            <AppLayout />
          </HashRouter>
        </DatesProvider>
      </MantineProvider>
    </>
  );
}

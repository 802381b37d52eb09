import { ColorSchemeScript, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { HashRouter } from 'react-router';
import { AppLayout } from './AppLayout';
import { theme } from './theme';

export function App() {
  return (
    <>
      <ColorSchemeScript defaultColorScheme="auto" />
      {/* "auto" follows the operating system's light or dark preference. */}
      <MantineProvider theme={theme} defaultColorScheme="auto">
        <Notifications position="bottom-right" />
        {/* Hash routing works the same from app:// in Electron and http:// in the browser shell. */}
        <HashRouter>
          <AppLayout />
        </HashRouter>
      </MantineProvider>
    </>
  );
}

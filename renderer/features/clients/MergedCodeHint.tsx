import { Alert, Button, Text } from '@mantine/core';
import { IconGitMerge } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { Output } from '../../../contract';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { useClientList } from './store';

/**
 * Under "No clients match": a searched code that belongs to a client merged into another (a tombstone) says so
 * and opens the client it lives on as, so an old code from an email or a printout still leads somewhere.
 */
export function MergedCodeHint({ onOpen }: { onOpen: (id: string) => void }) {
  const t = useT();
  const search = useClientList((s) => s.query.search.trim());
  const [found, setFound] = useState<Output<'clients.mergedByCode'>>(null);
  useEffect(() => {
    let cancelled = false;
    setFound(null);
    if (search.length < 3) return;
    void api()
      .clients.mergedByCode({ code: search })
      .then((result) => {
        if (!cancelled && result.ok) setFound(result.data);
      });
    return () => {
      cancelled = true;
    };
  }, [search]);
  if (!found) return null;
  const { survivor } = found;
  return (
    <Alert color="blue" icon={<IconGitMerge size={18} />} mt="md" ta="left">
      <Text size="sm" mb="xs">
        {t('clients.mergedCode.body', { code: found.code, name: survivor.companyName, survivorCode: survivor.code })}
      </Text>
      <Button size="xs" variant="light" onClick={() => onOpen(survivor.id)}>
        {t('clients.mergedCode.open', { name: survivor.companyName })}
      </Button>
    </Alert>
  );
}

import { Alert, Anchor, Badge, Button, Card, Center, Group, Loader, SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconCopyCheck, IconGitMerge } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import type { DuplicateReason } from '../../../contract';
import type { DuplicatePair, PairClient } from '../../../contract/duplicates';
import { useFormat, useT } from '../../i18n';
import { api, errorText, must, notifyError } from '../../lib/api';
import { EmptyCard } from '../../lib/EmptyCard';
import { PageHeader } from '../../lib/PageHeader';
import { useLoadMoreNearEnd } from '../../lib/VirtualRows';
import { useClientList } from '../clients/store';
import { ClientMergeModal } from './ClientMergeModal';
import { notifyWithUndo } from './undo';

type View = 'open' | 'dismissed';

/** The two values a signal compared: the emails, the names or the websites of the two clients. */
function evidenceValues(reason: DuplicateReason, client: PairClient): string {
  if (reason === 'email' || reason === 'email_domain') return client.email;
  if (reason === 'domain') return client.website ?? client.email;
  return client.companyName;
}

/**
 * Possible duplicates already in the database, strongest first, with the engine's evidence; "Not a duplicate"
 * (undoable) and "Merge…". Virtualised and paged, so a large database shows its first pairs at once.
 */
export function DuplicatesPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const view: View = params.get('view') === 'dismissed' ? 'dismissed' : 'open';
  const onlyClients = params.get('clients')?.split(',').filter(Boolean) ?? null;
  const onlyKey = onlyClients?.join(',') ?? '';
  const [pairs, setPairs] = useState<DuplicatePair[] | null>(null);
  const [total, setTotal] = useState(0);
  const [cursor, setCursor] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [merging, setMerging] = useState<[string, string] | null>(null);
  const reloadClients = useClientList((s) => s.reload);
  const loadingMore = useRef(false);

  const load = useCallback(async () => {
    try {
      const page = await must(api().duplicates.list({ dismissed: view === 'dismissed', clientIds: onlyKey ? onlyKey.split(',') : null, limit: 50 }));
      setPairs(page.pairs);
      setTotal(page.total);
      setCursor(page.nextCursor);
      setFailure(null);
    } catch (error) {
      setFailure(error);
    }
  }, [view, onlyKey]);
  useEffect(() => {
    setPairs(null);
    void load();
  }, [load]);

  const loadMore = useCallback(async () => {
    if (!cursor || loadingMore.current) return;
    loadingMore.current = true;
    try {
      const page = await must(api().duplicates.list({ dismissed: view === 'dismissed', clientIds: onlyKey ? onlyKey.split(',') : null, limit: 50, cursor }));
      setPairs((p) => [...(p ?? []), ...page.pairs]);
      setCursor(page.nextCursor);
    } catch (error) {
      notifyError(t, error);
    } finally {
      loadingMore.current = false;
    }
  }, [cursor, view, onlyKey, t]);

  const setDismissed = async (pair: DuplicatePair, dismissed: boolean) => {
    try {
      await must(api().duplicates.setDismissed({ firstId: pair.first.id, secondId: pair.second.id, dismissed }));
      const names = { first: pair.first.companyName, second: pair.second.companyName };
      if (dismissed) notifyWithUndo(t, t('dups.dismissed', names), () => setDismissed(pair, false));
      else if (view === 'dismissed') notifyWithUndo(t, t('dups.restored', names), () => setDismissed(pair, true));
      void load();
    } catch (error) {
      notifyError(t, error);
    }
  };

  const setView = (next: string) => setParams((p) => (next === 'dismissed' ? { ...Object.fromEntries(p), view: 'dismissed' } : Object.fromEntries([...p].filter(([k]) => k !== 'view'))));

  return (
    <Stack gap="md" p="xl" h="100vh">
      <PageHeader title={t('dups.title')} subtitle={t('dups.subtitle')} />
      <Group justify="space-between">
        <SegmentedControl value={view} onChange={setView} data={[{ value: 'open', label: t('dups.tab.open') }, { value: 'dismissed', label: t('dups.tab.dismissed') }]} />
        {pairs && (
          <Text size="sm" c="dimmed" role="status">
            {t('dups.count', { count: total })}
          </Text>
        )}
      </Group>
      {onlyClients && (
        <Alert variant="light" color="blue">
          <Group justify="space-between">
            <Text size="sm">{t('dups.onlyImport')}</Text>
            <Anchor component="button" type="button" size="sm" onClick={() => setParams({})}>
              {t('dups.showAll')}
            </Anchor>
          </Group>
        </Alert>
      )}
      {failure ? (
        <Alert color="red" title={t('dups.loadFailed')}>
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{errorText(t, failure)}</Text>
            <Button size="xs" variant="light" onClick={() => void load()}>
              {t('common.retry')}
            </Button>
          </Stack>
        </Alert>
      ) : pairs === null ? (
        <Center py="xl">
          <Stack align="center" gap="sm">
            <Loader />
            <Text c="dimmed">{t('common.loading')}</Text>
          </Stack>
        </Center>
      ) : pairs.length === 0 ? (
        view === 'open' ? (
          <EmptyCard icon={<IconCopyCheck />} title={t('dups.empty.title')} body={t('dups.empty.body')} />
        ) : (
          <EmptyCard icon={<IconCopyCheck />} title={t('dups.emptyDismissed.title')} body={t('dups.emptyDismissed.body')} />
        )
      ) : (
        <PairList pairs={pairs} more={cursor !== null} loadMore={loadMore} view={view} onDismiss={setDismissed} onMerge={(pair) => setMerging([pair.first.id, pair.second.id])} />
      )}
      {merging && (
        <ClientMergeModal
          ids={merging}
          onClose={() => setMerging(null)}
          onDone={() => {
            setMerging(null);
            void load();
            void reloadClients();
          }}
        />
      )}
    </Stack>
  );
}

function PairList(props: { pairs: DuplicatePair[]; more: boolean; loadMore: () => Promise<void>; view: View; onDismiss: (pair: DuplicatePair, dismissed: boolean) => Promise<void>; onMerge: (pair: DuplicatePair) => void }) {
  const { pairs, more, loadMore } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: pairs.length, getScrollElement: () => scrollRef.current, estimateSize: () => 220, overscan: 4, gap: 12 });
  const items = virtualizer.getVirtualItems();
  useLoadMoreNearEnd(items, pairs.length, more, loadMore, 5);

  return (
    <div ref={scrollRef} style={{ flex: 1, minHeight: 0, overflowY: 'auto' }}>
      <div role="list" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => (
          <div key={pairs[item.index]!.key} role="listitem" data-index={item.index} ref={virtualizer.measureElement} style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}>
            <PairCard pair={pairs[item.index]!} view={props.view} onDismiss={props.onDismiss} onMerge={props.onMerge} />
          </div>
        ))}
      </div>
    </div>
  );
}

const decisionColor = { block: 'red', warn: 'orange' } as const;

function PairCard({ pair, view, onDismiss, onMerge }: { pair: DuplicatePair; view: View; onDismiss: (pair: DuplicatePair, dismissed: boolean) => Promise<void>; onMerge: (pair: DuplicatePair) => void }) {
  const t = useT();
  const format = useFormat();
  const navigate = useNavigate();
  const label = t('dups.pairLabel', { first: pair.first.companyName, second: pair.second.companyName });
  const side = (client: PairClient) => (
    <Stack gap={2} style={{ minWidth: 0 }}>
      <Anchor fw={600} component="button" type="button" ta="left" onClick={() => void navigate(`/clients/${client.id}`)} style={{ overflowWrap: 'anywhere' }}>
        {client.companyName}
      </Anchor>
      <Text size="xs" c="dimmed">
        {client.code} · {t('dups.created', { date: format.date(client.createdAt) })}
      </Text>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {client.email}
      </Text>
      {client.website && (
        <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {client.website}
        </Text>
      )}
    </Stack>
  );
  return (
    <Card withBorder padding="md" aria-label={label}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs">
            <Badge color={pair.decision ? decisionColor[pair.decision] : 'gray'} variant="light">
              {t(pair.decision ? `dups.decision.${pair.decision}` : 'dups.decision.none')}
            </Badge>
            {pair.decision && (
              <Text size="xs" c="dimmed">
                {t('dups.score', { score: format.number(pair.score) })}
              </Text>
            )}
          </Group>
          <Group gap="xs" wrap="nowrap">
            {view === 'open' ? (
              <Button size="xs" variant="default" onClick={() => void onDismiss(pair, true)} aria-label={`${t('dups.notDuplicate')}: ${label}`}>
                {t('dups.notDuplicate')}
              </Button>
            ) : (
              <Button size="xs" variant="default" onClick={() => void onDismiss(pair, false)} aria-label={`${t('dups.undoDecision')}: ${label}`}>
                {t('dups.undoDecision')}
              </Button>
            )}
            <Button size="xs" leftSection={<IconGitMerge size={14} />} onClick={() => onMerge(pair)} aria-label={`${t('dups.merge')} ${label}`}>
              {t('dups.merge')}
            </Button>
          </Group>
        </Group>
        <SimpleGrid cols={2} spacing="lg">
          {side(pair.first)}
          {side(pair.second)}
        </SimpleGrid>
        {pair.reasons.length > 0 && (
          <Stack gap={4} aria-label={t('dups.evidence')}>
            {pair.reasons.map((reason) => (
              <Group key={reason} gap="xs" wrap="nowrap" align="baseline">
                <Badge size="sm" variant="outline" color="gray" style={{ flexShrink: 0 }}>
                  {t(`duplicates.reason.${reason}`)}
                </Badge>
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {evidenceValues(reason, pair.first)} · {evidenceValues(reason, pair.second)}
                </Text>
              </Group>
            ))}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

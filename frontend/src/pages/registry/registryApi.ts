// All OCOP registry calls (taxonomy, producers, products, certificates, stamps, imports) in one
// place, so that small differences in the generated schema only need fixing here.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import type {
  CertificatePage,
  ImportJob,
  ImportJobPage,
  Producer,
  ProducerCreate,
  ProducerPage,
  ProducersQuery,
  Product,
  ProductPage,
  ProductsQuery,
  StampIssuePage,
  Taxonomy,
} from '../../api/types';
import { filenameFromDisposition, type DownloadedFile } from '../../lib/download';

export type ExportFormat = 'csv' | 'xlsx';

// ---- taxonomy ---------------------------------------------------------------------------

export async function fetchTaxonomy(): Promise<Taxonomy> {
  return unwrap(await api.GET('/api/v1/taxonomy'));
}

/** The OCOP groups and product sets in force (rarely change: cached for the session). */
export function useTaxonomy() {
  return useQuery({ queryKey: ['taxonomy'], queryFn: fetchTaxonomy, staleTime: 60 * 60_000 });
}

// ---- products ---------------------------------------------------------------------------

export type ProductFilters = Omit<ProductsQuery, 'limit' | 'cursor' | 'format'>;

export async function listProducts(filters: ProductFilters, cursor: string | undefined, limit: number): Promise<ProductPage> {
  const query = { ...filters, limit, cursor } as ProductsQuery;
  // the operation also answers CSV/XLSX (format=), so the typed `data` is not narrowed to JSON
  return unwrap(await api.GET('/api/v1/products', { params: { query } })) as ProductPage;
}

export async function getProduct(productId: Product['id']): Promise<Product> {
  return unwrap(await api.GET('/api/v1/products/{product_id}', { params: { path: { product_id: productId } } }));
}

/** Every certificate of a product (its history: superseded, revoked, current). */
export async function listProductCertificates(productId: Product['id']): Promise<CertificatePage> {
  return unwrap(
    await api.GET('/api/v1/certificates', { params: { query: { product_id: productId, limit: 200 } } }),
  ) as CertificatePage;
}

export async function listStampIssues(
  productId: Product['id'],
  cursor: string | undefined,
  limit: number,
): Promise<StampIssuePage> {
  return unwrap(
    await api.GET('/api/v1/products/{product_id}/stamp-issues', {
      params: { path: { product_id: productId }, query: { limit, cursor } },
    }),
  );
}

// ---- producers --------------------------------------------------------------------------

export type ProducerFilters = Omit<ProducersQuery, 'limit' | 'cursor' | 'format'>;

export async function listProducers(
  filters: ProducerFilters,
  cursor: string | undefined,
  limit: number,
): Promise<ProducerPage> {
  const query = { ...filters, limit, cursor } as ProducersQuery;
  return unwrap(await api.GET('/api/v1/producers', { params: { query } })) as ProducerPage;
}

export async function getProducer(producerId: Producer['id']): Promise<Producer> {
  return unwrap(await api.GET('/api/v1/producers/{producer_id}', { params: { path: { producer_id: producerId } } }));
}

export async function createProducer(body: ProducerCreate): Promise<Producer> {
  return unwrap(await api.POST('/api/v1/producers', { body }));
}

// ---- exports ----------------------------------------------------------------------------

/** The whole filtered list as a CSV or XLSX file (the server streams every matching row). */
export async function exportList(
  list: 'products' | 'producers',
  filters: ProductFilters | ProducerFilters,
  format: ExportFormat,
): Promise<DownloadedFile> {
  const fallback = `${list === 'products' ? 'san-pham-ocop' : 'chu-the-ocop'}.${format}`;
  const query = { ...filters, format };
  const result =
    list === 'products'
      ? await api.GET('/api/v1/products', { params: { query: query as ProductsQuery }, parseAs: 'blob' })
      : await api.GET('/api/v1/producers', { params: { query: query as ProducersQuery }, parseAs: 'blob' });
  const blob = unwrap(result) as unknown as Blob;
  return { blob, filename: filenameFromDisposition(result.response.headers.get('Content-Disposition'), fallback) };
}

// ---- imports ----------------------------------------------------------------------------

/** Uploads a list for a dry run (202: the job, queued). */
export async function uploadImport(file: File): Promise<ImportJob> {
  const form = new FormData();
  form.append('file', file, file.name);
  return unwrap(await api.POST('/api/v1/imports', { body: form as never }));
}

export async function getImport(importId: ImportJob['id']): Promise<ImportJob> {
  return unwrap(await api.GET('/api/v1/imports/{import_id}', { params: { path: { import_id: importId } } }));
}

/** Asks the server to write a checked import (202; 409 import_not_ready unless it is `ready`). */
export async function commitImport(importId: ImportJob['id']): Promise<ImportJob> {
  return unwrap(await api.POST('/api/v1/imports/{import_id}/commit', { params: { path: { import_id: importId } } }));
}

export async function listImports(cursor: string | undefined, limit: number): Promise<ImportJobPage> {
  return unwrap(await api.GET('/api/v1/imports', { params: { query: { limit, cursor } } }));
}

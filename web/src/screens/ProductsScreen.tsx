/**
 * The product list, newest first, paged; add, edit and delete. Live: every product created, changed or
 * deleted anywhere (another tab, another user, the CLI) refreshes the page shown, through the productChanged
 * subscription over WebSocket.
 */
import { useState } from 'react';
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { Pager } from '../components/Pager';
import { ErrorNotice, Loading, SuccessNotice } from '../components/Notice';
import { formatDate } from '../format';
import { DeleteProductDocument, ProductChangedDocument, ProductsDocument } from '../operations/products';
import { ProductForm, type EditableProduct } from './ProductForm';

export const PAGE_SIZE = 10;

export function ProductsScreen() {
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<EditableProduct | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // A new form (and its state) for each product edited, and a fresh one after each add.
  const [formKey, setFormKey] = useState(0);
  const products = useQuery(ProductsDocument, { variables: { limit: PAGE_SIZE, offset } });
  const [deleteProduct, deletion] = useMutation(DeleteProductDocument, { refetchQueries: [ProductsDocument] });
  // The event says what changed, but a page's membership and the total depend on every row: refetching the
  // page shown is one query, and always right.
  useSubscription(ProductChangedDocument, { onData: () => void products.refetch() });

  const page = products.data?.products;

  async function remove(id: string, name: string) {
    const { data } = await deleteProduct({ variables: { id } }).catch(() => ({ data: undefined }));
    setConfirming(null);
    if (!data) return;
    setNotice(`Deleted “${name}”.`);
    if (editing?.id === id) setEditing(null);
    // The last item of a page went: show the page before it.
    if (page && page.items.length === 1 && offset > 0) setOffset(Math.max(0, offset - PAGE_SIZE));
  }

  return (
    <div className="columns">
      <section className="card" aria-labelledby="products-title">
        <h1 id="products-title">Products</h1>
        {notice ? <SuccessNotice>{notice}</SuccessNotice> : null}
        {deletion.error ? <ErrorNotice error={deletion.error} /> : null}
        {products.error ? <ErrorNotice error={products.error} onRetry={() => void products.refetch()} /> : null}
        {!page && products.loading ? <Loading what="products" /> : null}
        {page && page.total === 0 ? <p className="empty">No products yet. Add the first one.</p> : null}
        {page && page.items.length > 0 ? (
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th className="number">Price</th>
                <th>Updated</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {page.items.map((product) => (
                <tr key={product.id} className={editing?.id === product.id ? 'selected' : undefined}>
                  <td>
                    <strong>{product.name}</strong>
                    {product.description ? <div className="muted clamp">{product.description}</div> : null}
                  </td>
                  <td className="number">{product.price}</td>
                  <td className="nowrap">{formatDate(product.updated)}</td>
                  <td className="row-actions">
                    {confirming === product.id ? (
                      <>
                        <button type="button" className="button-small button-danger" disabled={deletion.loading} onClick={() => void remove(product.id, product.name)}>
                          Confirm delete
                        </button>
                        <button type="button" className="button-small" onClick={() => setConfirming(null)}>
                          Keep
                        </button>
                      </>
                    ) : (
                      <>
                        <button type="button" className="button-small" aria-label={`Edit ${product.name}`} onClick={() => { setNotice(null); setEditing(product); setFormKey(formKey + 1); }}>
                          Edit
                        </button>
                        <button type="button" className="button-small" aria-label={`Delete ${product.name}`} onClick={() => { setNotice(null); setConfirming(product.id); }}>
                          Delete
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {page ? <Pager offset={offset} limit={PAGE_SIZE} total={page.total} onChange={setOffset} /> : null}
      </section>
      <aside className="card" aria-labelledby="product-form-title">
        <h2 id="product-form-title">{editing ? `Edit “${editing.name}”` : 'Add a product'}</h2>
        <ProductForm
          key={formKey}
          product={editing}
          onCancel={() => {
            setEditing(null);
            setFormKey(formKey + 1);
          }}
          onSaved={(saved) => {
            setNotice(editing ? `Saved “${saved.name}”.` : `Added “${saved.name}”.`);
            if (!editing) setOffset(0);
            setEditing(null);
            setFormKey(formKey + 1);
          }}
        />
      </aside>
    </div>
  );
}

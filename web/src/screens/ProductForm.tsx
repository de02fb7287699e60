/** Add or edit a product; the server's validation messages appear next to the fields they name. */
import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { fieldErrors } from '../apollo/errors';
import { Field } from '../components/Field';
import { ErrorNotice } from '../components/Notice';
import { CreateProductDocument, ProductsDocument, UpdateProductDocument } from '../operations/products';

export interface EditableProduct {
  id: string;
  name: string;
  description: string;
  price: string;
}

export function ProductForm({ product, onSaved, onCancel }: { product: EditableProduct | null; onSaved: (saved: { name: string }) => void; onCancel: () => void }) {
  const [form, setForm] = useState({ name: product?.name ?? '', price: product?.price ?? '', description: product?.description ?? '' });
  const [create, creation] = useMutation(CreateProductDocument, { refetchQueries: [ProductsDocument] });
  const [update, update_] = useMutation(UpdateProductDocument);
  const { error, loading } = product ? update_ : creation;
  const errors = fieldErrors(error);

  const set = (name: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = product
      ? await update({ variables: { id: product.id, input: form } }).then((r) => r.data?.updateProduct).catch(() => undefined)
      : await create({ variables: { input: form } }).then((r) => r.data?.createProduct).catch(() => undefined);
    if (result) onSaved(result);
  }

  return (
    <form onSubmit={submit} noValidate aria-label={product ? 'Edit product' : 'Add a product'}>
      {errors.form ? <ErrorNotice error={error}>{errors.form}</ErrorNotice> : null}
      <Field label="Name" name="name" value={form.name} onChange={set('name')} error={errors.name} maxLength={200} />
      <Field label="Price" name="price" inputMode="decimal" value={form.price} onChange={set('price')} error={errors.price} hint='Such as "19.99".' />
      <Field label="Description" name="description" multiline rows={3} value={form.description} onChange={set('description')} error={errors.description} />
      <div className="actions">
        <button type="submit" className="button-primary" disabled={loading}>
          {loading ? 'Saving…' : product ? 'Save changes' : 'Add product'}
        </button>
        {product ? (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** The product screens' operations. */
import { graphql } from '../gql';

export const ProductsDocument = graphql(`
  query Products($limit: Int!, $offset: Int!) {
    products(limit: $limit, offset: $offset) {
      total
      items {
        id
        name
        description
        price
        updated
      }
    }
  }
`);

export const CreateProductDocument = graphql(`
  mutation CreateProduct($input: ProductInput!) {
    createProduct(input: $input) {
      id
      name
      description
      price
      updated
    }
  }
`);

export const UpdateProductDocument = graphql(`
  mutation UpdateProduct($id: ID!, $input: ProductInput!) {
    updateProduct(id: $id, input: $input) {
      id
      name
      description
      price
      updated
    }
  }
`);

export const DeleteProductDocument = graphql(`
  mutation DeleteProduct($id: ID!) {
    deleteProduct(id: $id)
  }
`);

export const ProductChangedDocument = graphql(`
  subscription ProductChanged {
    productChanged {
      kind
      product {
        id
        name
      }
    }
  }
`);
